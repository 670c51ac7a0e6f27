"""Resource limits for everything jincai reads from outside: one table, one error per limit.

Files and profiles come from ~180 offices and their vendors; a 7 KB workbook can ask for billions of
cells, a 4 KB YAML for gigabytes. Every reader checks what it is about to spend against a limit here
*before* spending it, and a limit that is hit is a user error with a stable code
(``limit-<name>``), the location and the limit's value, never a crash, a hang or a silent cut.

Each limit has a documented default (``docs/limits.md`` is generated from ``LIMITS``) and can be set
per process with the environment variable ``JINCAI_LIMIT_<NAME>`` (upper case), e.g.
``JINCAI_LIMIT_XLSX_CELLS=50000000``; a server can also call ``configure()``.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from jincai.errors import JincaiError


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    unit: str
    zh: str
    en: str


_MB = 1 << 20

LIMITS: dict[str, Limit] = {
    lim.name: lim
    for lim in (
        Limit("zip_uncompressed_bytes", 2048 * _MB, "bytes", "xlsx 等 zip 容器解压后的总大小", "total uncompressed size of a zip container (xlsx)"),
        Limit("zip_ratio", 200, "ratio", "zip 成员的解压比（解压后/压缩后）", "compression ratio of a zip member (uncompressed/compressed)"),
        Limit("xlsx_cells", 20_000_000, "cells", "一个工作表声明或实际的单元格数", "cells a worksheet declares or holds"),
        Limit("xlsx_merged_cells", 1_000_000, "cells", "一个工作表所有合并区域覆盖的单元格总数", "cells covered by a worksheet's merged ranges in total"),
        # measured: openpyxl holds the table at ~7.5× its XML size (1 M strings, 21 MB → 155 MB, 20 s)
        Limit("xlsx_shared_strings_bytes", 32 * _MB, "bytes", "共享字符串表（sharedStrings.xml）解压后的大小", "uncompressed size of the shared-strings table"),
        Limit("xlsx_part_bytes", 64 * _MB, "bytes", "工作簿中其他整体读入的部件（样式、工作簿、关系…）解压后的大小", "uncompressed size of any other workbook part read whole (styles, workbook, relationships …)"),
        Limit("xlsx_elements", 1_000_000, "elements", "工作表中同时留在内存的 XML 元素数（行外的合并区域、超链接、格式…，或一行之内）", "XML elements of a worksheet held in memory at once (those outside its rows — merged ranges, hyperlinks, formats … — or those of one row)"),
        Limit("xlsx_columns", 16_384, "columns", "一行的列数（Excel 上限 XFD）", "columns of a row (Excel's own maximum, XFD)"),
        Limit("xls_bytes", 256 * _MB, "bytes", ".xls 工作簿文件的大小（xlrd 整体读入）", "size of an .xls workbook (xlrd reads it whole)"),
        Limit("line_bytes", 1 * _MB, "bytes", "文本文件（CSV、定长）一行的长度", "length of one line of a text file (CSV, fixed-width)"),
        Limit("field_bytes", 1 * _MB, "bytes", "CSV 一个字段的长度（按其文本的 UTF-8 字节计）", "length of one CSV field (UTF-8 bytes of its text)"),
        Limit("source_rows", 50_000_000, "rows", "一个源文件的行/记录数", "rows or records of one source file"),
        Limit("xml_depth", 64, "levels", "XML 元素嵌套深度", "nesting depth of XML elements"),
        Limit("xml_held_elements", 10_000, "elements", "XML 中同时留在内存的元素数（一条记录的元素，或记录之前的表头字段）", "XML elements held in memory at once (those of one record, or the header fields before the records)"),
        Limit("sql_dump_statement_bytes", 64 * _MB, "bytes", "SQL 脚本中一条语句的长度", "length of one statement of a SQL dump"),
        Limit("sql_query_seconds", 60, "seconds", "配置的 SQL 提取查询运行的时间（到时中断）", "running time of a profile's SQL extraction query (interrupted when reached)"),
        Limit("sql_query_memory", 1024 * _MB, "bytes", "SQL 转储读取器的 DuckDB 内存上限", "memory DuckDB may use for a SQL dump and its extraction query"),
        Limit("sql_nesting_depth", 32, "levels", "SQL 提取查询中括号与 CASE 的嵌套深度", "nesting depth of parentheses and CASE in a SQL extraction query"),
        Limit("dbf_record_bytes", 1 * _MB, "bytes", "DBF 一条记录的长度", "length of one DBF record"),
        Limit("memo_bytes", 16 * _MB, "bytes", "DBF 备注字段一个值的长度", "length of one DBF memo value"),
        Limit("memo_file_bytes", 1024 * _MB, "bytes", "DBF 备注文件（.fpt/.dbt）的大小", "size of a DBF memo file (.fpt/.dbt)"),
        Limit("profile_bytes", 1 * _MB, "bytes", "一个适配配置（YAML）文件的大小", "size of an adapter profile (YAML)"),
        Limit("yaml_aliases", 100, "aliases", "YAML 文件中别名（*alias）的个数", "aliases (*alias) in a YAML file"),
        Limit("yaml_depth", 50, "levels", "YAML 嵌套深度", "nesting depth of a YAML document"),
        Limit("yaml_nodes", 1_000_000, "nodes", "YAML 文件展开全部别名后的节点数", "nodes of a YAML document with every alias expanded"),
        Limit("profile_file_bytes", 64 * _MB, "bytes", "配置引用的文件（对照表、备注文件）的大小", "size of a file a profile refers to (crosswalk, memo file)"),
        Limit("regex_length", 1000, "characters", "配置中一个正则表达式的长度", "length of one regular expression in a profile"),
        Limit("regex_program", 200_000, "instructions", "一个配置中全部正则表达式编译后的大小（RE2 指令数，如 \\w{30} 约 4 万）", "compiled size of all regular expressions of a profile (RE2 instructions; \\w{30} is about 40,000)"),
        Limit("cell_chars", 32_767, "characters", "一个单元格或值的长度（Excel 单元格上限）", "length of one cell or value (Excel's own cell maximum)"),
        Limit("gateway_message_bytes", 16 * _MB, "bytes", "报送网关收到的一条 gRPC 消息的大小", "size of one gRPC message the ingestion gateway receives"),
        Limit("gateway_submission_records", 20_000_000, "records", "一个报送的记录数", "records of one submission to the gateway"),
        Limit("gateway_submission_bytes", 8192 * _MB, "bytes", "一个报送在网关暂存盘上的大小（规范 JSON Lines）", "size of one submission spooled by the gateway (canonical JSON Lines)"),
        Limit("gateway_region_submissions", 2, "submissions", "同一区划同时进行的报送数", "submissions of one region in progress at the same time"),
    )
}

_overrides: dict[str, int] = {}


def configure(**values: int) -> None:
    """Set limits for this process (a server's configuration); unknown names are an error."""
    for name, value in values.items():
        if name not in LIMITS:
            raise JincaiError("limit-unknown", f"没有名为 {name} 的限制", f"no limit named {name}")
        _overrides[name] = int(value)


def limit(name: str) -> int:
    """The limit's value: ``configure()``, else ``JINCAI_LIMIT_<NAME>``, else the default."""
    if name in _overrides:
        return _overrides[name]
    env = os.environ.get(f"JINCAI_LIMIT_{name.upper()}")
    if env:
        try:
            value = int(env)
        except ValueError:
            raise JincaiError(
                "limit-invalid-setting",
                f"环境变量 JINCAI_LIMIT_{name.upper()}={env!r} 不是整数",
                f"JINCAI_LIMIT_{name.upper()}={env!r} is not an integer",
            ) from None
        if value > 0:
            return value
    return LIMITS[name].default


def exceeded(name: str, actual: int | str, location: str = "") -> JincaiError:
    """The user error for a limit that was hit (``actual`` may be a lower bound, e.g. ``">1000"``)."""
    lim = LIMITS[name]
    value = limit(name)
    return JincaiError(
        f"limit-{name.replace('_', '-')}",
        f"超出限制：{lim.zh}为 {actual}，上限 {value}（{lim.unit}）；可用环境变量 JINCAI_LIMIT_{name.upper()} 调整",
        f"limit exceeded: {lim.en} is {actual}, the limit is {value} {lim.unit}; set JINCAI_LIMIT_{name.upper()} to change it",
        location,
        {"limit": name, "value": value, "actual": str(actual)},
    )


def check(name: str, actual: int, location: str = "") -> None:
    """Raise ``exceeded`` when ``actual`` is over the limit."""
    if actual > limit(name):
        raise exceeded(name, actual, location)


def read_confined(base: Path, relative: str, what_zh: str, what_en: str, location: str = "", limit_name: str = "profile_file_bytes") -> bytes:
    """The bytes of a file a profile names, which must be a regular file inside ``base`` (the
    profile's folder) and within the size limit. Errors name the path as written, never the file's
    content, so a profile cannot be used to read ``/etc/passwd`` or ``/proc/self/environ`` into a
    message, nor ``/dev/zero`` into memory."""
    with open_confined(base, relative, what_zh, what_en, location, limit_name) as fh:
        cap = limit(limit_name)
        data = fh.read(cap + 1)
    if len(data) > cap:  # grew while we looked
        raise exceeded(limit_name, f">{cap}", location or str(relative))
    return data


def open_confined(
    base: Path,
    relative: str,
    what_zh: str,
    what_en: str,
    location: str = "",
    limit_name: str = "profile_file_bytes",
    base_zh: str = "配置所在目录",
    base_en: str = "the profile's folder",
):
    """``read_confined``'s checks, giving the open file (binary) for reading in parts — a memo file
    is read by random access. ``base_zh``/``base_en`` name the folder in messages."""
    text = str(relative)
    root = Path(base).resolve()
    candidate = Path(text)
    if candidate.is_absolute() or "\x00" in text:
        raise _outside(text, root, what_zh, what_en, location, base_zh, base_en)
    target = (root / candidate).resolve()
    if target != root and root not in target.parents:
        raise _outside(text, root, what_zh, what_en, location, base_zh, base_en)
    try:
        st = target.stat()
    except OSError:
        raise JincaiError(
            "profile-file-missing",
            f"{what_zh}文件 {text} 不存在或无法读取（相对于{base_zh}）",
            f"the {what_en} file {text} does not exist or cannot be read (relative to {base_en})",
            location,
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise JincaiError(
            "profile-file-not-regular",
            f"{what_zh}文件 {text} 不是普通文件",
            f"the {what_en} file {text} is not a regular file",
            location,
        )
    if st.st_size > limit(limit_name):
        raise exceeded(limit_name, st.st_size, location or text)
    try:
        return open(target, "rb")
    except OSError:
        raise JincaiError(
            "profile-file-missing",
            f"{what_zh}文件 {text} 无法读取",
            f"the {what_en} file {text} cannot be read",
            location,
        ) from None


def _outside(text: str, root: Path, what_zh: str, what_en: str, location: str, base_zh: str = "配置所在目录", base_en: str = "the profile's folder") -> JincaiError:
    return JincaiError(
        "profile-file-outside",
        f"{what_zh}文件 {text} 必须是{base_zh}内的相对路径",
        f"the {what_en} file {text} must be a relative path inside {base_en}",
        location,
        {"base": str(root)},
    )


def render_markdown() -> str:
    """``docs/limits.md``: every limit, its default, its error code and how to change it."""
    lines = [
        "# 资源限制 Resource limits",
        "",
        "<!-- 由 jincai.limits 生成，勿手改 / generated from jincai.limits; do not edit -->",
        "",
        "jincai 读取的每个外来文件和配置都受以下限制；超出即为用户错误（退出码 2），错误代码为 `limit-<名称>`。",
        "可用环境变量 `JINCAI_LIMIT_<NAME>` 或（服务器）`jincai.limits.configure()` 调整。",
        "Every file and profile jincai reads from outside is held to these limits; a limit that is hit is a",
        "user error (exit 2) with the code `limit-<name>`. Set `JINCAI_LIMIT_<NAME>` (or call",
        "`jincai.limits.configure()` in a server) to change one.",
        "",
        "| 名称 name | 默认 default | 单位 unit | 错误代码 code | 限制什么 what it bounds |",
        "|---|---:|---|---|---|",
    ]
    for lim in LIMITS.values():
        code = f"limit-{lim.name.replace('_', '-')}"
        lines.append(f"| `{lim.name}` | {lim.default:,} | {lim.unit} | `{code}` | {lim.zh} / {lim.en} |")
    return "\n".join(lines) + "\n"


def csv_field_limit() -> int:
    """Set the csv module's field size limit (one setting for the whole process) to ``field_bytes``
    and return it. The csv module counts characters, never more than the bytes they take, so a
    field it accepts may still hold up to 4× the limit in UTF-8 bytes; lines are bounded too."""
    import csv

    value = limit("field_bytes")
    csv.field_size_limit(value)
    return value


def csv_error(exc: Exception, location: str = "") -> JincaiError | None:
    """The ``limit-field-bytes`` error for the csv module's "field larger than field limit", else None."""
    if "field larger than field limit" in str(exc):
        return exceeded("field_bytes", f">{limit('field_bytes')}", location)
    return None

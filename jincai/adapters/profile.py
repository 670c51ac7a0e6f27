"""Mapping profiles: one YAML file per legacy system, saying how its exports become the standard.

A profile lives in ``adapters/<id>/profile.yaml`` (``load_profile("<id>")``) or anywhere else
(``load_profile("path/to/profile.yaml")``). Its shape (the full reference, with examples, is
``docs/adapters/profile-reference.zh-en.md``; the JSON Schema, generated from the models below, is
``schemas/adapter-profile.schema.json``)::

    id: bank_payroll_fixed
    name_zh: …                      # shown to people
    name_en: …
    system: {vendor: …, product: …, version: …, description_zh: …, description_en: …}
    source:                         # how to read the files: format + that reader's options
      format: fixed_width           # csv | fixed_width | dbf | excel | xml | sql_dump …
      encoding: gbk
      …                             # reader-specific (see the reader's module / the reference)
    constants:                      # fill fields of that name in every target (--set overrides)
      mof_div_code: "130681000"
      fiscal_year: null             # null = must be given on the command line (--set fiscal_year=2024)
    filters:                        # rows that are not data: recorded in the ledger as filtered
      - blank
      - subtotal
      - {kind: notes_below, pattern: "^(注|说明)"}
    targets:
      - entity: payroll_record
        when: {column: 记录类型, equals: "D"}       # optional: which rows feed this target
        unpivot: {columns: {1月: 1, 2月: 2}, key_as: 月份, value_as: 金额}   # optional
        fields:
          agency_code: 单位代码                                # shorthand for {from: 单位代码}
          gross_amt: {from: 应发金额, transform: [implied_decimal]}
          pay_month: {const: 3}
          gov_bgt_eco_code: {derive: [dep_bgt_eco_code, fiscal_year], transform: [derive_gov_eco]}
    crosswalks:
      pre2007: crosswalks/pre2007_subjects.csv    # relative to the profile's folder
    controls:                       # counts/totals a file states about itself, checked per file
      - {count: 笔数}                              # a source.document value = the file's data rows
      - {total: 实发总额, field: net_amt}          # = the file's total of payroll_record.net_amt

Loading checks the shape (pydantic, unknown keys are errors) and then the meaning: the entity and
fields exist in the standard, every required field is mapped, the transforms exist with valid
arguments, the crosswalk files exist and are well formed, the columns exist where the source
declares its layout. Every problem is a ``JincaiError`` whose location is the YAML path
(``targets[0].fields.gross_amt.transform[1]``) with its line in the file, and whose reason is in
Chinese and English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Iterable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from jincai import limits, paths, yaml_load
from jincai.adapters import patterns
from jincai.adapters import transforms as T
from jincai.errors import JincaiError

SCHEMA_PATH = paths.SCHEMAS / "adapter-profile.schema.json"

#: cells starting with one of these (spaces allowed between the characters) are subtotal rows
DEFAULT_SUBTOTAL_PATTERN = r"^\s*(合\s*计|小\s*计|总\s*计|累\s*计|本[月年]\s*合\s*计|本[月年]\s*累\s*计|共\s*计)"
#: the first row whose first non-empty cell matches starts the notes under the table
DEFAULT_NOTES_PATTERN = r"^\s*(注|说\s*明|备\s*注|附注|填表|制表|审核|复核|单位负责人|财务负责人|会计主管|打印)"

_ID = r"^[a-z][a-z0-9_]*$"

#: read-only pseudo-columns the engine adds to a row when the profile uses them: where the row is
PSEUDO_COLUMNS = {
    "_file": ("文件的基本名（如 PZ.DBF）", "the file's base name (e.g. PZ.DBF)"),
    "_sheet": ("工作表名（Excel）、记录路径（XML）…", "sheet (Excel), record path (XML) …"),
    "_row": ("行号 / 记录号", "row or record number"),
    "_query": ("提取查询名（SQL 转储）", "extraction query name (SQL dumps)"),
}

#: ``_doc.<name>``: a value of the file that sits outside the data rows (a fixed-width header
#: record's region, the cells above an Excel header), declared in ``source.document``; the reader
#: hands it to every row as ``row.extra["doc"][name]``
DOC_PREFIX = "_doc."


def is_pseudo(column: str) -> bool:
    """A column the engine supplies (``_file`` …, ``_doc.<name>``), not one of the file's."""
    return column in PSEUDO_COLUMNS or column.startswith(DOC_PREFIX)


def document_names(source: "Source") -> list[str]:
    """The names declared in ``source.document`` (a mapping name → where the value is)."""
    doc = source.options().get("document")
    if isinstance(doc, dict):
        return [str(k) for k in doc]
    return []


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _valid_pattern(value: str | None) -> str | None:
    """A profile pattern must compile for RE2 (``patterns.PatternError`` says why not)."""
    if value is not None:
        patterns.check(value)
    return value


class System(_Strict):
    """The legacy system the files come from."""

    vendor: str | None = Field(None, description="厂商 / vendor")
    product: str | None = Field(None, description="产品名称 / product")
    version: str | None = Field(None, description="版本 / version")
    description_zh: str = Field("", description="系统说明（中文）")
    description_en: str = Field("", description="what the system is (English)")


class Source(BaseModel):
    """How to read the files: ``format`` picks the reader; the other keys are that reader's options
    (checked against the reader's ``options_model`` when it declares one)."""

    model_config = ConfigDict(extra="allow")

    format: str = Field(description="读取器 / reader: csv, fixed_width, dbf, excel, xml, sql_dump …")
    encoding: str | None = Field(
        None,
        description="字符编码；不写则检测（文本格式：整个文件 UTF-8 严格解码成功即 UTF-8，否则 GB18030）。GB2312/GBK 按 GB18030 读 / "
        "character encoding; detected when absent. GB2312/GBK are read as GB18030",
    )

    def options(self) -> dict[str, Any]:
        """The whole block as the reader receives it."""
        return self.model_dump(exclude_none=True)


# ---- filters --------------------------------------------------------------------------------


class _Filter(_Strict):
    def reason(self) -> tuple[str, str, str]:  # code, zh, en
        raise NotImplementedError


class BlankFilter(_Filter):
    """Rows whose cells are all empty or blank."""

    kind: Literal["blank"]

    def reason(self) -> tuple[str, str, str]:
        return "blank-row", "空行", "blank row"


class SubtotalFilter(_Filter):
    """Subtotal and total rows (合计/小计/总计/累计…) — a cell in ``columns`` (default: any cell)
    matches ``pattern`` (a regular expression, searched)."""

    kind: Literal["subtotal"]
    columns: list[str] | None = Field(None, description="只看这些列；默认所有文本单元格 / only these columns; default every text cell")
    pattern: str = Field(DEFAULT_SUBTOTAL_PATTERN, description="正则表达式 / regular expression")

    _pattern = field_validator("pattern")(lambda v: _valid_pattern(v))

    def reason(self) -> tuple[str, str, str]:
        return "subtotal-row", "合计/小计行", "subtotal or total row"


class NotesBelowFilter(_Filter):
    """Notes under the table: from the first row whose first non-empty cell (or ``column``) matches
    ``pattern`` to the end of the file or sheet, every row is filtered."""

    kind: Literal["notes_below"]
    column: str | None = Field(None, description="只看这一列；默认每行第一个非空单元格 / only this column; default the first non-empty cell")
    pattern: str = Field(DEFAULT_NOTES_PATTERN, description="正则表达式 / regular expression")

    _pattern = field_validator("pattern")(lambda v: _valid_pattern(v))

    def reason(self) -> tuple[str, str, str]:
        return "notes-below-table", "表格下方的注释", "note under the table"


class HeaderRepeatFilter(_Filter):
    """A repeated header row (printed reports repeat the header on every page): every non-empty cell
    equals its column name, and there are at least ``min_cells`` of them."""

    kind: Literal["header_repeat"]
    min_cells: int = Field(2, ge=1, description="至少几个单元格与列名相同 / at least this many cells equal their column name")

    def reason(self) -> tuple[str, str, str]:
        return "header-repeat", "重复的表头行", "repeated header row"


class DeletedFilter(_Filter):
    """Records the reader marks as deleted (DBF deletion flag ``*``)."""

    kind: Literal["deleted"]

    def reason(self) -> tuple[str, str, str]:
        return "deleted-record", "已删除的记录（DBF 删除标记）", "deleted record (DBF deletion flag)"


class MatchFilter(_Filter):
    """Any other kind of non-data row, with its own reason: ``column`` matches ``pattern``."""

    kind: Literal["match"]
    column: str = Field(description="列名 / column")
    pattern: str = Field(description="正则表达式（search；fullmatch: true 时整体匹配）/ regular expression")
    fullmatch: bool = Field(False, description="整体匹配 / match the whole value")
    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="稳定的原因代码 / stable reason code (kebab-case)")
    reason_zh: str = Field(min_length=1, description="原因（中文）")
    reason_en: str = Field(min_length=1, description="reason (English)")

    _pattern = field_validator("pattern")(lambda v: _valid_pattern(v))

    def reason(self) -> tuple[str, str, str]:
        return self.code, self.reason_zh, self.reason_en


Filter = Annotated[
    Union[BlankFilter, SubtotalFilter, NotesBelowFilter, HeaderRepeatFilter, DeletedFilter, MatchFilter],
    Field(discriminator="kind"),
]
FILTER_KINDS = ("blank", "subtotal", "notes_below", "header_repeat", "deleted", "match")
FilterShorthand = Literal["blank", "subtotal", "notes_below", "header_repeat", "deleted"]


# ---- targets --------------------------------------------------------------------------------


class When(_Strict):
    """Which rows feed a target: exactly one of ``equals``, ``in`` or ``pattern`` on ``column``
    (compared after trimming spaces)."""

    column: str
    equals: str | None = None
    in_: list[str] | None = Field(None, alias="in")
    pattern: str | None = Field(None, description="正则表达式，整体匹配 / regular expression, full match")

    _pattern = field_validator("pattern")(lambda v: _valid_pattern(v))

    @model_validator(mode="after")
    def _one(self) -> "When":
        given = [k for k in ("equals", "in_", "pattern") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("写且只写 equals、in、pattern 之一 / give exactly one of equals, in, pattern")
        return self


class Unpivot(_Strict):
    """One column per period → one record per key. The records see the row's columns plus the
    pseudo-columns ``key_as`` (the key) and ``value_as`` (the cell). With a ``pattern`` of two
    groups (or the named groups ``key`` and ``value``), several columns share a key — ``1月/本月`` and
    ``1月/累计`` — and each record gets one pseudo-column per value name (``本月``, ``累计``);
    ``value_as`` is then left out."""

    columns: list[str] | dict[str, str | int] | None = Field(
        None, description="要展开的列（列表：键为列名；映射：列名 → 键）/ columns to unpivot (list: key = column name; mapping: column → key)"
    )
    pattern: str | None = Field(
        None, description="按列名整体匹配的正则；有分组时第 1 组为键 / regex on column names (full match); group 1 is the key"
    )
    key_as: str = Field(description="键的伪列名（如 月份）/ pseudo-column holding the key (e.g. 月份)")
    value_as: str | None = Field(
        None, description="值的伪列名（如 金额）；pattern 有两个分组时不写 / pseudo-column holding the cell (e.g. 金额); omitted with a two-group pattern"
    )
    skip_blank: bool = Field(
        False, description="空单元格不产生记录（在账本中计数）/ blank cells produce no record (counted in the ledger)"
    )

    _pattern = field_validator("pattern")(lambda v: _valid_pattern(v))

    @model_validator(mode="after")
    def _one(self) -> "Unpivot":
        if (self.columns is None) == (self.pattern is None):
            raise ValueError("写且只写 columns、pattern 之一 / give exactly one of columns, pattern")
        if self.pattern is not None:
            if self.multi_value and self.value_as is not None:
                raise ValueError("pattern 有值名分组时不写 value_as / no value_as with a value-name group")
        if self.value_as is None and not self.multi_value:
            raise ValueError("缺少 value_as / value_as is required")
        if self.key_as == self.value_as:
            raise ValueError("key_as 与 value_as 不能同名 / key_as and value_as must differ")
        return self

    @property
    def multi_value(self) -> bool:
        """The pattern names the value of each column (a second group, or the group ``value``)."""
        if self.pattern is None:
            return False
        rx = patterns.compile(self.pattern)
        return "value" in rx.groupindex or rx.groups >= 2

    def resolve(self, columns: Iterable[str]) -> list[tuple[Any, dict[str, str]]]:
        """``[(key, {pseudo-column: source column})]`` for a file's columns, keys in first-seen order."""
        if self.columns is not None:
            pairs = self.columns.items() if isinstance(self.columns, dict) else ((c, c) for c in self.columns)
            return [(k, {self.value_as or "": c}) for c, k in pairs]
        rx = patterns.compile(self.pattern or "")
        named = "key" in rx.groupindex
        out: dict[Any, dict[str, str]] = {}
        for c in columns:
            m = rx.fullmatch(c)
            if m is None:
                continue
            if named:
                key = m.group("key")
                vname = m.group("value") if "value" in rx.groupindex else self.value_as
            else:
                key = m.group(1) if rx.groups >= 1 else c
                vname = m.group(2) if rx.groups >= 2 else self.value_as
            out.setdefault(key, {})[vname or ""] = c
        return list(out.items())


TransformItem = Union[str, dict[str, Any]]


class FieldMap(_Strict):
    """Where one canonical field comes from: ``from`` source column(s), ``const`` a literal, or
    ``derive`` other canonical fields of the same record; then the ``transform`` chain."""

    from_: str | list[str] | None = Field(None, alias="from", description="源列（多列时为列表，转换链收到元组）/ source column(s)")
    const: Any = Field(None, description="常量值 / a literal value")
    derive: str | list[str] | None = Field(None, description="由同一记录的其他规范字段推出 / from other canonical fields of the record")
    transform: list[TransformItem] = Field(default_factory=list, description="转换链，按顺序执行 / transform chain, in order")

    @model_validator(mode="after")
    def _one(self) -> "FieldMap":
        given = [k for k in ("from_", "const", "derive") if k in self.model_fields_set and getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("写且只写 from、const、derive 之一 / give exactly one of from, const, derive")
        return self

    @property
    def sources(self) -> list[str]:
        v = self.from_ if self.from_ is not None else self.derive
        if v is None:
            return []
        return [v] if isinstance(v, str) else list(v)

    @property
    def multi(self) -> bool:
        v = self.from_ if self.from_ is not None else self.derive
        return isinstance(v, list)


class Target(_Strict):
    """One canonical entity produced from each (selected) source row."""

    entity: str = Field(description="标准中的实体 / an entity of the standard")
    when: When | None = None
    unpivot: Unpivot | None = None
    fields: dict[str, Union[FieldMap, str]] = Field(description="规范字段 → 来源 / canonical field → where it comes from")

    @field_validator("fields", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k: ({"from": x} if isinstance(x, str) else x) for k, x in v.items()}
        return v

    def field_map(self, name: str) -> FieldMap:
        fm = self.fields[name]
        assert isinstance(fm, FieldMap)
        return fm


class Control(_Strict):
    """A count or total that a file states about itself (a trailer's 笔数 and 合计 …), read from
    one of its ``source.document`` values and checked after the file against its data rows —
    translated plus rejected rows, since the file holds both. A mismatch fails the run (exit 1) with
    its own code in the ledger (``control-count-mismatch``, ``control-total-mismatch``)."""

    count: str | None = Field(None, description="文件级值（source.document 中的名称）= 本文件的数据行数 / a document value: the number of the file's data rows")
    total: str | None = Field(None, description="文件级值 = 本文件某金额字段的合计 / a document value: the total of a money field over the file's data rows")
    field: str | None = Field(None, description="total 所核对的金额字段（规范字段名）/ the money field a total is checked against")
    entity: str | None = Field(None, description="field 所属的目标实体；只有一个目标有该字段时可省略 / the target entity of field; may be omitted when one target has it")
    transform: list[TransformItem] = Field(
        default_factory=list,
        description="把文件级值读成数的转换链；不写时 count 用 integer，total 用 money / chain that reads the stated value; default integer (count) or money (total)",
    )

    @model_validator(mode="after")
    def _one(self) -> "Control":
        if (self.count is None) == (self.total is None):
            raise ValueError("写且只写 count、total 之一 / give exactly one of count, total")
        if self.total is not None and self.field is None:
            raise ValueError("total 需要 field（要核对的金额字段）/ total needs field (the money field to check)")
        if self.count is not None and (self.field is not None or self.entity is not None):
            raise ValueError("count 核对数据行数，不写 field、entity / count checks the data rows: no field or entity")
        return self

    @property
    def kind(self) -> str:
        return "count" if self.count is not None else "total"

    @property
    def document(self) -> str:
        return self.count if self.count is not None else self.total  # type: ignore[return-value]


class Profile(_Strict):
    """A mapping profile (see the module docstring)."""

    id: str = Field(pattern=_ID, description="标识，与文件夹同名 / identifier, the folder's name")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    system: System = Field(default_factory=System)
    source: Source
    constants: dict[str, str | int | bool | None] = Field(
        default_factory=dict, description="填入各目标中同名字段；null 表示须在命令行 --set 给出 / fill same-named fields; null = give it with --set"
    )
    filters: list[Union[FilterShorthand, Filter]] = Field(default_factory=list, description="非数据行的过滤规则，按顺序 / filters, in order")
    targets: list[Target] = Field(min_length=1)
    crosswalks: dict[str, str] = Field(default_factory=dict, description="对照表名 → CSV 路径（相对 profile 文件夹）/ name → CSV path")
    controls: list[Control] = Field(default_factory=list, description="文件自述的笔数与合计，按文件核对 / counts and totals a file states about itself, checked per file")

    _path: Path | None = PrivateAttr(None)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def base_dir(self) -> Path:
        """Where the profile lives, for display (``adapter list``). Files the profile names are
        read with ``read_file`` only: confined to ``folder``, never the working folder."""
        return self._path.parent if self._path else Path.cwd()

    @property
    def folder(self) -> Path | None:
        """The profile file's folder, the only place files it names are read from; ``None`` for a
        profile that is not a file (given inline, over the network): it may then name no file."""
        return self._path.parent if self._path else None

    def read_file(self, relative: str, what_zh: str, what_en: str, location: str) -> bytes:
        """The bytes of a file this profile names: a regular file inside its folder, within
        ``limits.profile_file_bytes`` (``limits.read_confined``)."""
        if self.folder is None:
            raise JincaiError(
                "profile-file-no-folder",
                f"这个配置不是文件（内嵌或经网络提交），没有所在目录，不能引用{what_zh}文件 {relative}",
                f"this profile is not a file (given inline or over the network) and has no folder: it cannot refer to the {what_en} file {relative}",
                location,
            )
        return limits.read_confined(self.folder, relative, what_zh, what_en, location)

    def filter_list(self) -> list[_Filter]:
        out: list[_Filter] = []
        for f in self.filters:
            if isinstance(f, str):
                out.append({"blank": BlankFilter, "subtotal": SubtotalFilter, "notes_below": NotesBelowFilter,
                            "header_repeat": HeaderRepeatFilter, "deleted": DeletedFilter}[f](kind=f))
            else:
                out.append(f)
        return out

    def with_constants(self, overrides: dict[str, str]) -> "Profile":
        """A copy with ``--set key=value`` constants applied."""
        new = self.model_copy(update={"constants": {**self.constants, **overrides}})
        new._path = self._path
        return new

    def crosswalk_tables(self) -> dict[str, T.Crosswalk]:
        return {name: self._crosswalk(name, rel) for name, rel in self.crosswalks.items()}

    def _crosswalk(self, name: str, relative: str) -> T.Crosswalk:
        raw = self.read_file(relative, "对照表", "crosswalk", f"crosswalks.{name}")
        return T.Crosswalk.from_bytes(name, (self.folder or Path()) / relative, raw)


# ---- loading --------------------------------------------------------------------------------


def _fmt_loc(loc: tuple[Any, ...] | list[Any]) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


_TYPE_SEGMENTS = {"str", "int", "bool", "float", "none", "list", "dict", "FieldMap", "literal"}


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop what pydantic adds for unions (member names, discriminator tags) from an error location."""
    out: list[Any] = []
    for i, p in enumerate(loc):
        if isinstance(p, str):
            if p in _TYPE_SEGMENTS or "[" in p or p.startswith("function-"):
                continue
            if len(out) >= 2 and out[-2] == "filters" and isinstance(out[-1], int) and p in FILTER_KINDS:
                continue
            if p == "from_":
                p = "from"
            if p == "in_":
                p = "in"
        out.append(p)
    return tuple(out)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (or of its deepest existing ancestor)."""
    try:
        node = yaml_load.compose(text)
    except JincaiError:
        return None
    line = None
    for p in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        nxt = None
        if node.id == "mapping" and isinstance(p, str):
            for k, v in node.value:
                if getattr(k, "value", None) == p:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
        elif node.id == "sequence" and isinstance(p, int) and p < len(node.value):
            nxt = node.value[p]
        node = nxt
    if node is not None:
        line = node.start_mark.line + 1
    return line


class _Problem(Exception):
    def __init__(self, loc: tuple[Any, ...], zh: str, en: str, code: str = "adapter-profile-invalid"):
        super().__init__(en)
        self.loc = loc
        self.zh = zh
        self.en = en
        self.code = code


def _error(file: str, text: str | None, loc: tuple[Any, ...], zh: str, en: str, reason: str = "adapter-profile-invalid") -> JincaiError:
    """A profile problem: code ``adapter-profile-invalid`` (a limit keeps its ``limit-…`` code), the
    finer reason (``regex-lookaround``, ``profile-file-outside`` …) in ``details["reason"]``."""
    where = _fmt_loc(loc)
    line = _line_of(text, loc) if text is not None and loc else None
    location = f"{file}:{line}" if line else file
    if where:
        location += f" {where}"
    code = reason if reason.startswith("limit-") else "adapter-profile-invalid"
    return JincaiError(code, f"{where or 'profile'}：{zh}", f"{where or 'profile'}: {en}", location, {"path": where, "line": line, "reason": reason})


def resolve_profile_path(name_or_path: str | Path) -> Path:
    """A profile name (``bank_payroll_fixed``) → ``adapters/<name>/profile.yaml``; a path as is (a
    folder means its ``profile.yaml``)."""
    p = Path(name_or_path)
    if p.is_dir():
        return p / "profile.yaml"
    if p.is_file():
        return p
    text = str(name_or_path)
    if re.fullmatch(r"[A-Za-z0-9_\-]+", text):
        candidate = paths.ADAPTERS / text / "profile.yaml"
        if candidate.is_file():
            return candidate
    known = ", ".join(p.id for p in list_profiles()) or "—"
    raise JincaiError(
        "adapter-profile-not-found",
        f"找不到映射配置 {text}（既不是文件，也不是 adapters/ 下的配置名；已有：{known}）",
        f"no mapping profile {text} (neither a file nor a profile name under adapters/; shipped: {known})",
        text,
    )


def parse_profile(data: Any, file: str = "<profile>", text: str | None = None, base: Path | None = None, check: bool = True) -> Profile:
    """A profile from already-parsed YAML data; ``check`` also runs the semantic checks."""
    if not isinstance(data, dict):
        raise _error(file, text, (), "映射配置应为 YAML 映射", "a mapping profile must be a YAML mapping")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # a union reports one error per member: the one about the member that was meant is the
        # useful one (not "should be a string" for a mapping, not "should be 'blank'…" for a dict)
        meant = [e for e in errors if e["type"] not in ("literal_error", "string_type", "list_type")]
        err = (meant or errors)[0]
        loc = _clean_loc(tuple(err["loc"]))
        msg = err["msg"]
        bad_pattern = (err.get("ctx") or {}).get("error")
        if isinstance(bad_pattern, patterns.PatternError):
            raise _error(file, text, loc, bad_pattern.zh, bad_pattern.en, bad_pattern.code) from None
        if err["type"] == "extra_forbidden":
            zh, en = f"未知的键 {loc[-1] if loc else ''}", f"unknown key {loc[-1] if loc else ''}"
        elif err["type"] == "missing":
            zh, en = "缺少必填的键", "required key missing"
        elif err["type"] == "union_tag_invalid":
            zh, en = f"未知的过滤类型；可用：{', '.join(FILTER_KINDS)}", f"unknown filter kind; available: {', '.join(FILTER_KINDS)}"
        else:
            zh, en = f"取值无效：{msg}", f"invalid value: {msg}"
        raise _error(file, text, loc, zh, en) from None
    if base is not None:
        profile._path = base
    if check:
        try:
            _check(profile)
        except _Problem as p:
            raise _error(file, text, p.loc, p.zh, p.en, p.code) from None
    return profile


def load_profile(name_or_path: str | Path, check: bool = True) -> Profile:
    """Read and check a profile (``JincaiError`` with the YAML path and line of the problem)."""
    path = resolve_profile_path(name_or_path)
    cap = limits.limit("profile_bytes")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(cap + 1)
    except OSError as exc:
        raise JincaiError("adapter-profile-unreadable", f"无法读取映射配置：{exc.strerror}", f"cannot read the mapping profile: {exc.strerror}", str(path)) from None
    limits.check("profile_bytes", len(raw), str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JincaiError(
            "adapter-profile-unreadable",
            f"映射配置必须是 UTF-8 编码（字节偏移 {exc.start}）",
            f"a mapping profile must be UTF-8 (byte offset {exc.start})",
            str(path),
        ) from None
    try:
        data = yaml_load.load(text, str(path))
    except JincaiError as exc:
        if exc.code.startswith("limit-"):
            raise
        raise JincaiError("adapter-profile-invalid", exc.message_zh, exc.message_en, exc.location, {**exc.details, "reason": exc.code}) from None
    return parse_profile(data, str(path), text, path, check)


def list_profiles() -> list[Profile]:
    """The shipped profiles (``adapters/*/profile.yaml``), by id; shape checked only."""
    out = []
    for p in sorted(paths.ADAPTERS.glob("*/profile.yaml")):
        try:
            out.append(load_profile(p, check=False))
        except JincaiError:
            continue
    return out


# ---- semantic checks ------------------------------------------------------------------------


def _declared_columns(source: Source) -> set[str] | None:
    """Column names the source block declares (fixed-width fields, csv columns), if any."""
    opts = source.options()
    names: set[str] = set()
    for key in ("fields", "columns"):
        v = opts.get(key)
        if isinstance(v, list):
            for item in v:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    names.add(item["name"])
                elif isinstance(item, str):
                    names.add(item)
    if source.format in ("csv", "fixed_width") and names and not opts.get("header_row"):
        return names
    return None


def all_readers() -> Any:
    """The reader registry with every reader module imported."""
    from jincai.adapters import readers

    readers._discover()
    return readers


def _check(profile: Profile) -> None:
    from jincai.adapters.readers._common import normalize_encoding

    get_reader = all_readers().get_reader
    from jincai.standard import standard

    std = standard()

    # source
    try:
        reader = get_reader(profile.source.format)
    except JincaiError as exc:
        raise _Problem(("source", "format"), exc.message_zh, exc.message_en) from None
    if profile.source.encoding is not None:
        try:
            normalize_encoding(profile.source.encoding)
        except JincaiError as exc:
            raise _Problem(("source", "encoding"), exc.message_zh, exc.message_en) from None
    model = getattr(reader, "options_model", None)
    if model is not None:
        try:
            model.model_validate(profile.source.options())
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            loc = ("source",) + _clean_loc(tuple(err["loc"]))
            if err["type"] == "extra_forbidden":
                raise _Problem(loc, f"{profile.source.format} 读取器没有这个选项", f"the {profile.source.format} reader has no such option") from None
            bad_pattern = (err.get("ctx") or {}).get("error")
            if isinstance(bad_pattern, patterns.PatternError):  # e.g. Excel sheets: ["re:…"]
                raise _Problem(loc + bad_pattern.where, bad_pattern.zh, bad_pattern.en, bad_pattern.code) from None
            raise _Problem(loc, f"读取器选项无效：{err['msg']}", f"invalid reader option: {err['msg']}") from None
    check_options = getattr(reader, "check_options", None)  # what only the reader can judge (e.g. a SQL query)
    if check_options is not None:
        try:
            check_options(profile.source.options())
        except JincaiError as exc:
            raise _Problem(tuple(p for p in exc.location.split(".") if p) or ("source",), exc.message_zh, exc.message_en) from None

    # filters
    notes = [i for i, f in enumerate(profile.filter_list()) if f.kind == "notes_below"]
    if len(notes) > 1:
        raise _Problem(("filters", notes[1]), "只能有一个 notes_below 过滤规则（把注释开头的写法合并到一个正则里）", "only one notes_below filter (put every way a note begins into one pattern)")
    # patterns: each compiled by the models (with its YAML path); together within a memory budget,
    # as every compiled pattern stays in memory for the whole run
    budget, total = limits.limit("regex_program"), 0
    for loc, source in _profile_patterns(profile):
        try:
            total += patterns.compile(source).program_size
        except patterns.PatternError as exc:
            raise _Problem(loc, exc.zh, exc.en, exc.code) from None
        if total > budget:
            e = limits.exceeded("regex_program", total)
            raise _Problem(loc, e.message_zh, e.message_en, e.code)

    # document values (_doc.<name>) used anywhere must be declared in source.document
    declared_doc = set(document_names(profile.source))
    for loc, col in _columns_used(profile):
        if col.startswith(DOC_PREFIX) and col[len(DOC_PREFIX):] not in declared_doc:
            known = "、".join(sorted(declared_doc)) or "—"
            raise _Problem(loc, f"{col} 没有在 source.document 中声明（已声明：{known}）", f"{col} is not declared in source.document (declared: {known})")

    # crosswalks: files inside the profile's folder only
    tables: dict[str, T.Crosswalk] = {}
    for name, rel in profile.crosswalks.items():
        try:
            tables[name] = profile._crosswalk(name, rel)
        except JincaiError as exc:
            where = "" if exc.location == f"crosswalks.{name}" else f"（{exc.location}）"
            raise _Problem(("crosswalks", name), f"{exc.message_zh}{where}", f"{exc.message_en}{where.replace('（', ' (').replace('）', ')')}", exc.code) from None
    ctx = T.BuildContext(crosswalks=tables, profile_dir=profile.folder)

    declared = _declared_columns(profile.source)
    target_fields: set[str] = set()
    for ti, target in enumerate(profile.targets):
        tloc: tuple[Any, ...] = ("targets", ti)
        if target.entity not in std.entities:
            known = ", ".join(sorted(std.entities))
            raise _Problem(tloc + ("entity",), f"标准中没有实体 {target.entity}；已有：{known}", f"the standard has no entity {target.entity}; known: {known}")
        entity = std.entities[target.entity]
        names = set(entity.field_names)
        target_fields |= names
        columns = set(declared) if declared is not None else None
        if columns is not None and target.unpivot is not None:
            if target.unpivot.multi_value:
                columns = None  # the value pseudo-columns are named by the file's headers
            else:
                columns |= {target.unpivot.key_as, target.unpivot.value_as or ""}
        if columns is not None:
            columns |= set(PSEUDO_COLUMNS) | {DOC_PREFIX + n for n in declared_doc}
        if target.when is not None and columns is not None and target.when.column not in columns:
            raise _Problem(tloc + ("when", "column"), f"源文件没有列 {target.when.column}", f"the source has no column {target.when.column}")
        for fname, fm in target.fields.items():
            floc = tloc + ("fields", fname)
            assert isinstance(fm, FieldMap)
            if fname not in names:
                raise _Problem(floc, f"实体 {entity.id} 没有字段 {fname}", f"the entity {entity.id} has no field {fname}")
            if fm.from_ is not None and columns is not None:
                for j, col in enumerate(fm.sources):
                    if col not in columns:
                        loc = floc + (("from", j) if fm.multi else ("from",))
                        raise _Problem(loc, f"源文件没有列 {col}（已声明：{'、'.join(sorted(columns))}）", f"the source has no column {col} (declared: {', '.join(sorted(columns))})")
            if fm.derive is not None:
                for j, ref in enumerate(fm.sources):
                    if ref not in names:
                        loc = floc + (("derive", j) if fm.multi else ("derive",))
                        raise _Problem(loc, f"实体 {entity.id} 没有字段 {ref}", f"the entity {entity.id} has no field {ref}")
                    if ref not in target.fields and ref not in profile.constants:
                        loc = floc + (("derive", j) if fm.multi else ("derive",))
                        raise _Problem(loc, f"字段 {ref} 没有映射，无法由它推出", f"the field {ref} is not mapped, nothing to derive from")
            for k, item in enumerate(fm.transform):
                iloc = floc + ("transform", k)
                try:
                    d, _ = T.build_item(item, ctx)
                except T.TransformSpecError as exc:
                    extra = tuple(p for p in exc.where.split(".") if p)
                    raise _Problem(iloc + extra, exc.zh, exc.en) from None
                except JincaiError as exc:
                    raise _Problem(iloc, exc.message_zh, exc.message_en) from None
                if k == 0 and fm.multi and d.arity is not None:
                    need = d.arity(T.parse_item(item)[1])
                    if need is not None and need != len(fm.sources):
                        raise _Problem(iloc, f"{d.name} 的参数需要 {need} 个输入，实有 {len(fm.sources)} 个", f"the arguments of {d.name} need {need} inputs, there are {len(fm.sources)}")
                if k == 0 and fm.multi and not d.multi:
                    raise _Problem(
                        iloc,
                        f"多列输入需要先用能处理多列的转换（如 join、red_ink、derive_gov_eco），{d.name} 只处理一列",
                        f"several input columns need a transform that takes several values first (join, red_ink, derive_gov_eco …); {d.name} takes one",
                    )
            if fm.multi and not fm.transform:
                raise _Problem(floc + ("transform",), "多列输入需要转换链把它们合成一个值", "several input columns need a transform chain that combines them")
        _check_derive_cycles(target, tloc)
        for f in entity.fields:
            if f.required and f.name not in target.fields and f.name not in profile.constants:
                raise _Problem(
                    tloc + ("fields",),
                    f"实体 {entity.id} 的必填字段 {f.name}（{f.element.name_zh}）没有映射，也不是常量",
                    f"the required field {f.name} ({f.element.name_en}) of {entity.id} is neither mapped nor a constant",
                )
    for name in profile.constants:
        if name not in target_fields:
            raise _Problem(("constants", name), f"常量 {name} 不是任何目标实体的字段", f"the constant {name} is not a field of any target entity")
    _check_controls(profile, declared_doc, ctx)


def _columns_used(profile: Profile) -> Iterable[tuple[tuple[Any, ...], str]]:
    """(YAML path, column) of every source column the profile names (``from``, ``when``, filters)."""
    for ti, t in enumerate(profile.targets):
        for fname, fm in t.fields.items():
            if isinstance(fm, FieldMap) and fm.from_ is not None:
                for j, col in enumerate(fm.sources):
                    yield ("targets", ti, "fields", fname, "from", *((j,) if fm.multi else ())), col
        if t.when is not None:
            yield ("targets", ti, "when", "column"), t.when.column
    for i, f in enumerate(profile.filters):
        if isinstance(f, str):
            continue
        col = getattr(f, "column", None)
        if isinstance(col, str):
            yield ("filters", i, "column"), col
        for j, c in enumerate(getattr(f, "columns", None) or []):
            yield ("filters", i, "columns", j), c


def _check_controls(profile: Profile, declared_doc: set[str], ctx: T.BuildContext) -> None:
    from jincai.standard import standard

    std = standard()
    for i, c in enumerate(profile.controls):
        loc: tuple[Any, ...] = ("controls", i)
        if c.document not in declared_doc:
            known = "、".join(sorted(declared_doc)) or "—"
            raise _Problem(loc + (c.kind,), f"{c.document} 没有在 source.document 中声明（已声明：{known}）", f"{c.document} is not declared in source.document (declared: {known})")
        for k, item in enumerate(c.transform):
            try:
                T.build_item(item, ctx)
            except T.TransformSpecError as exc:
                raise _Problem(loc + ("transform", k), exc.zh, exc.en) from None
        if c.kind == "count":
            continue
        holders = [t for t in profile.targets if c.field in t.fields and (c.entity is None or t.entity == c.entity)]
        entities = sorted({t.entity for t in holders})
        if not entities:
            raise _Problem(loc + ("field",), f"没有目标映射字段 {c.field}" + (f"（实体 {c.entity}）" if c.entity else ""), f"no target maps the field {c.field}" + (f" (entity {c.entity})" if c.entity else ""))
        if len(entities) > 1:
            raise _Problem(loc + ("entity",), f"多个目标实体都有字段 {c.field}（{'、'.join(entities)}），请写 entity", f"several target entities map {c.field} ({', '.join(entities)}): give entity")
        el = std.entity(entities[0]).field(c.field).element
        if el.type != "money":
            raise _Problem(loc + ("field",), f"{c.field} 不是金额字段，不能核对合计", f"{c.field} is not a money field: there is no total to check")


def control_entity(profile: Profile, c: Control) -> str | None:
    """The target entity a ``total`` control checks (``None`` for ``count``)."""
    if c.kind == "count":
        return None
    return c.entity or next(t.entity for t in profile.targets if c.field in t.fields)


def _profile_patterns(profile: Profile) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Every regular expression the profile makes jincai run, with its YAML path."""
    sheets = profile.source.options().get("sheets") if profile.source.format in ("excel", "xlsx") else None
    for i, w in enumerate([sheets] if isinstance(sheets, str) else sheets or []):
        if isinstance(w, str) and w.startswith("re:"):
            yield ("source", "sheets") + ((i,) if isinstance(sheets, list) else ()), w[3:]
    for i, f in enumerate(profile.filter_list()):
        pattern = getattr(f, "pattern", None)
        if pattern is not None:
            yield ("filters", i) + (("pattern",) if not isinstance(profile.filters[i], str) else ()), pattern
    for ti, target in enumerate(profile.targets):
        if target.when is not None and target.when.pattern is not None:
            yield ("targets", ti, "when", "pattern"), target.when.pattern
        if target.unpivot is not None and target.unpivot.pattern is not None:
            yield ("targets", ti, "unpivot", "pattern"), target.unpivot.pattern


def _check_derive_cycles(target: Target, tloc: tuple[Any, ...]) -> None:
    deps = {n: [r for r in fm.sources if r in target.fields] for n, fm in target.fields.items() if isinstance(fm, FieldMap) and fm.derive is not None}
    state: dict[str, int] = {}

    def visit(n: str, trail: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cyc = " → ".join(trail + [n])
            raise _Problem(tloc + ("fields", n, "derive"), f"推导字段循环引用：{cyc}", f"derived fields form a cycle: {cyc}")
        state[n] = 1
        for r in deps.get(n, []):
            visit(r, trail + [n])
        state[n] = 2

    for n in deps:
        visit(n, [])


def derive_order(target: Target) -> list[str]:
    """Derived fields of a target in an order where every input comes first."""
    derived = {n for n, fm in target.fields.items() if isinstance(fm, FieldMap) and fm.derive is not None}
    order: list[str] = []
    seen: set[str] = set()

    def visit(n: str) -> None:
        if n in seen:
            return
        seen.add(n)
        for r in target.field_map(n).sources:
            if r in derived:
                visit(r)
        order.append(n)

    for n in sorted(derived):
        visit(n)
    return order


# ---- JSON Schema ----------------------------------------------------------------------------


def profile_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a profile (``schemas/adapter-profile.schema.json``): generated
    from the pydantic models above, the transform registry and the readers' option models."""
    reg = all_readers()
    formats, get_reader = reg.formats, reg.get_reader

    schema = Profile.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    # transform chain items: one alternative per registered transform
    items = [{"type": "string", "enum": sorted(n for n, d in T.REGISTRY.items() if not d.args.model_json_schema().get("required"))}]
    items += [T.args_json_schema(T.REGISTRY[n]) for n in sorted(T.REGISTRY)]
    defs["TransformItem"] = {"description": "转换链中的一项 / one item of a transform chain", "anyOf": items}
    defs["FieldMap"]["properties"]["transform"] = {
        "type": "array",
        "items": {"$ref": "#/$defs/TransformItem"},
        "description": defs["FieldMap"]["properties"]["transform"].get("description", ""),
    }
    # reader options, one if/then per reader that declares its options
    source = defs["Source"]
    source["properties"]["format"]["enum"] = formats()
    conditions = []
    for fmt in formats():
        model = getattr(get_reader(fmt), "options_model", None)
        if model is None:
            continue
        opt = model.model_json_schema(ref_template="#/$defs/" + fmt + "__{model}")
        for name, sub in opt.pop("$defs", {}).items():
            defs[f"{fmt}__{name}"] = sub
        opt.pop("title", None)
        conditions.append({"if": {"properties": {"format": {"const": fmt}}, "required": ["format"]}, "then": opt})
    if conditions:
        source["allOf"] = conditions
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://jincai.example/schemas/adapter-profile.schema.json"
    schema["title"] = "金财适配器映射配置 jincai adapter mapping profile"
    return _strip_titles(schema)


def _strip_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str) and "jincai" not in v)}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


def render_json_schema() -> str:
    return json.dumps(profile_json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_json_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_json_schema(), encoding="utf-8", newline="\n")
    return path


if __name__ == "__main__":  # python -m jincai.adapters.profile  → regenerate the JSON Schema
    print(write_json_schema())

"""Helpers shared by the binary-format readers (DBF, Excel, XML, SQL dumps).

Not a reader itself (the leading underscore keeps it out of the registry's discovery).
"""

from __future__ import annotations

import codecs
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jincai.errors import JincaiError

# GB2312 and GBK are subsets of GB18030: legacy files that declare them are read as GB18030, so that
# a character outside GB2312 typed on a GBK system still decodes (issue 4 §1).
_GB_FAMILY = {"gb2312", "gbk", "cp936", "ms936", "936", "gb18030", "euc-cn", "euccn", "x-gbk", "hz-gb-2312"}


def normalize_encoding(name: str, where: str = "") -> str:
    """A Python codec name for a declared encoding; the GB family becomes ``gb18030``."""
    raw = str(name).strip()
    key = raw.lower().replace("_", "-")
    if key in _GB_FAMILY or key.replace("-", "") in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(raw).name
    except LookupError:
        raise JincaiError(
            "adapter-unknown-encoding",
            f"未知的字符编码 {raw}",
            f"unknown character encoding {raw}",
            where,
        ) from None


def undecodable(path: str, exc: UnicodeDecodeError, base_offset: int, what_zh: str, what_en: str) -> JincaiError:
    """The error for a byte that does not decode: never a replacement character (issue 4 §1)."""
    offset = base_offset + exc.start
    bad = exc.object[exc.start : exc.end].hex(" ")
    return JincaiError(
        "adapter-undecodable-bytes",
        f"{what_zh}：字节偏移 {offset} 处的字节 {bad} 不是合法的 {exc.encoding} 编码",
        f"{what_en}: the bytes {bad} at byte offset {offset} are not valid {exc.encoding}",
        f"{path}@{offset}",
        {"byte_offset": offset, "encoding": exc.encoding, "bytes": bad},
    )


_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"[\s\u3000]+")


def header_text(value: Any) -> str:
    """A header cell as a column name: whitespace collapsed, none left next to Chinese characters
    (``"本年\\n累计"`` and ``"科  目"`` become ``本年累计`` and ``科目``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        if text.endswith("T00:00:00"):
            text = text[:-9]
    else:
        text = str(value)
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    return _SPACE_NEAR_CJK.sub("", text)


def option_error(reader: str, key: str, zh: str, en: str) -> JincaiError:
    return JincaiError(
        "adapter-reader-option",
        f"{reader} 读取器的选项 {key} 有误：{zh}",
        f"{reader} reader option {key}: {en}",
        f"source.{key}",
    )


M = TypeVar("M", bound=BaseModel)


def parse_options(model: type[M], options: dict[str, Any], reader: str) -> M:
    """The reader's options, checked (the profile loader checks them too, with the YAML line)."""
    known = {k: v for k, v in options.items() if v is not None}
    try:
        return model.model_validate(known)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in err["loc"]) or "source"
        if err["type"] == "extra_forbidden":
            raise option_error(reader, key, "没有这个选项", "no such option") from None
        raise option_error(reader, key, err["msg"], err["msg"]) from None


def open_binary(path: str):
    """Open a source file for reading bytes; an OS error becomes the readers' one user error."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise JincaiError("adapter-unreadable-file", f"无法打开文件：{exc}", f"cannot open the file: {exc}", path) from None

"""One error type for everything a user can get wrong: code, location, reason in zh and en.

Commands catch ``JincaiError`` at the top and print it (exit 2); no traceback reaches a user.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class JincaiError(Exception):
    code: str  # stable kebab-case code, e.g. "codelist-file-malformed"
    message_zh: str
    message_en: str
    location: str = ""  # file:line, field, … whatever lets the user find the problem
    details: dict = field(default_factory=dict)

    def __str__(self) -> str:
        from jincai.masking import mask_text  # a message may quote a value: IDs and accounts masked (C12)

        where = f" [{self.location}]" if self.location else ""
        return mask_text(f"{self.code}{where}: {self.message_zh} / {self.message_en}")

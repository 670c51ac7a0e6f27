"""The harness protocol, client side: the runner starts the product's harness command and talks
JSON Lines with it over stdin/stdout (``conformance_tests/README.md`` documents it; the messages'
JSON Schema is ``schemas/conformance/harness-messages.schema.json``).

One request per line, one response per line, matched by ``id``; stderr is the harness's log (kept
in ``harness.log``). A harness that exits, writes something that is not a JSON object, answers
another id or stays silent past the timeout is a broken harness (``HarnessError``) — the runner
reports the case as ``error`` and stops (exit 4), because nothing after it can be trusted.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import IO, Any


PROTOCOL = "jincai-conformance-harness/1"
#: the operations a harness answers; ``shutdown`` ends it
OPERATIONS = ("describe", "validate", "translate", "produce", "gateway_start", "gateway_credential", "shutdown")


class HarnessError(Exception):
    """The harness broke the protocol or stopped: (zh, en)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class Harness:
    """A running harness process."""

    def __init__(self, command: list[str], cwd: Path | None, env: dict[str, str], timeout: float, log: Path):
        self.timeout = timeout
        self._next = 0
        self._log = open(log, "ab")
        try:
            self.proc = subprocess.Popen(
                command, cwd=cwd, env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            )
        except OSError as exc:
            self._log.close()
            raise HarnessError(f"无法启动被测产品的适配程序 {command[0]}：{exc}", f"cannot start the product's harness {command[0]}: {exc}") from exc
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: IO[bytes]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def request(self, op: str, **payload: Any) -> dict[str, Any]:
        """Send one request and wait for its response (``HarnessError`` when the harness breaks)."""
        self._next += 1
        msg = {"id": self._next, "op": op, **payload}
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write((json.dumps(msg, ensure_ascii=False) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise HarnessError(f"适配程序已退出（{exc}）", f"the harness has exited ({exc})") from None
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            raise HarnessError(f"适配程序 {self.timeout:g} 秒内没有回答 {op}", f"the harness did not answer {op} within {self.timeout:g} s") from None
        if line is None:
            code = self.proc.wait()
            raise HarnessError(f"适配程序在回答 {op} 前退出（退出码 {code}），见 harness.log", f"the harness exited before answering {op} (exit {code}); see harness.log")
        try:
            resp = json.loads(line)
        except ValueError:
            raise HarnessError(f"适配程序输出的不是 JSON：{line[:120]!r}", f"the harness wrote something that is not JSON: {line[:120]!r}") from None
        if not isinstance(resp, dict) or resp.get("id") != msg["id"] or not isinstance(resp.get("ok"), bool):
            raise HarnessError(
                f"回答不符合协议（应为带 id={msg['id']} 与 ok 的对象）：{str(resp)[:120]}",
                f"the answer breaks the protocol (an object with id={msg['id']} and ok expected): {str(resp)[:120]}",
            )
        return resp

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.request("shutdown")
                except HarnessError:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            self._log.close()


def error_response(msg_id: Any, code: str, zh: str, en: str, location: str = "") -> dict[str, Any]:
    """The shape of a refusal (used by harnesses written in Python)."""
    return {"id": msg_id, "ok": False, "error": {"code": code, "message_zh": zh, "message_en": en, "location": location}}

"""The published JSON Schemas of the conformance documents (``schemas/conformance/``), generated
from the pydantic models of ``model.py`` — ``python -m jincai.conformance.schemas`` rewrites them;
``tests/test_conformance_suite.py`` fails when they drift.

* ``case.schema.json`` — a case.yaml (read as JSON data)
* ``results.schema.json`` — the runner's results.json
* ``certificate.schema.json`` — certificate.json
* ``sut.schema.json`` — the system-under-test file
* ``harness-messages.schema.json`` — the harness protocol's requests and responses
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from jincai import paths
from jincai.conformance import model
from jincai.conformance.protocol import PROTOCOL

OUT = paths.SCHEMAS / "conformance"
BASE = "https://jincai.example/schemas/conformance/"


class _M(BaseModel):
    model_config = ConfigDict(extra="allow")


class Describe(_M):
    id: int
    op: Literal["describe"]


class ValidateRequest(_M):
    id: int
    op: Literal["validate"]
    files: list[str] = Field(description="绝对路径 absolute paths of the submission's files (read only)")
    year: int | None = None


class TranslateRequest(_M):
    id: int
    op: Literal["translate"]
    system: str = Field(description="遗留系统 the legacy system (a shipped profile id)")
    profile: str = Field(description="描述遗留格式的映射配置文件（绝对路径）the profile describing the legacy format")
    inputs: list[str]
    out: str = Field(description="产品写出 <entity>.jsonl 的空目录 the empty folder the product writes <entity>.jsonl into")


class ProduceRequest(_M):
    id: int
    op: Literal["produce"]
    scenario: str
    out: str


class GatewayStart(_M):
    """Gateway profile: start the gateway under test for this run (unless SUT.yaml names one)."""

    id: int
    op: Literal["gateway_start"]


class GatewayCredentialRequest(_M):
    """Gateway profile: issue a credential for a case role (and revoke it when state is revoked)."""

    id: int
    op: Literal["gateway_credential"]
    name: str = Field(description="suite.yaml 中的凭据名 the credential's name in suite.yaml")
    role: Literal["submitter", "reader", "auditor"]
    region: str
    state: Literal["active", "revoked"]
    kind: Literal["token", "cert"]


class Shutdown(_M):
    id: int
    op: Literal["shutdown"]


class Error(_M):
    code: str
    message_zh: str
    message_en: str
    location: str = ""


class Refusal(_M):
    id: int | None
    ok: Literal[False]
    error: Error


class DescribeAnswer(_M):
    id: int
    ok: Literal[True]
    protocol: Literal["jincai-conformance-harness/1"]
    product: model.Product
    profiles: list[model.ProfileId]
    features: list[str]


class IssueOut(_M):
    rule: str
    severity: Literal["fatal", "error", "warning"] | None = None
    file: str | None = Field(None, description="文件名或路径 the file's name or path")
    row: int | None = None
    field: str | None = None
    value: str | None = Field(None, description="已脱敏 masked (C12)")


class ValidateAnswer(_M):
    id: int
    ok: Literal[True]
    passed: bool = Field(description="无错误与致命问题 nothing of severity error or fatal")
    issues: list[IssueOut]


class Money(_M):
    entity: str
    field: str
    source_total: str
    translated_total: str
    rejected_total: str


class LedgerOut(_M):
    rows: dict[Literal["source", "translated", "rejected", "filtered"], int]
    records: dict[str, int]
    rejected: list[model.RejectedRow]
    money: list[Money]


class TranslateAnswer(_M):
    id: int
    ok: Literal[True]
    records: dict[str, str] = Field(description="实体 → out 中的文件 entity → file in out")
    ledger: LedgerOut


class ProduceAnswer(_M):
    id: int
    ok: Literal[True]
    files: list[str]


class GatewayStartAnswer(_M):
    id: int
    ok: Literal[True]
    target: str = Field(description="host:port（TLS；Bearer 令牌）")
    mtls_target: str | None = Field(None, description="双向 TLS 地址 the mutual-TLS address, if separate")
    ca_pem: str = Field(description="签发服务器证书的 CA（PEM）the CA of the server certificate")
    server_name: str | None = None
    max_message_bytes: int | None = Field(None, description="网关接受的最大消息 the largest message the gateway accepts")


class GatewayCredentialAnswer(_M):
    id: int
    ok: Literal[True]
    token: str | None = Field(None, description="kind token：Bearer 令牌")
    cert_pem: str | None = Field(None, description="kind cert：客户端证书 client certificate")
    key_pem: str | None = Field(None, description="kind cert：私钥 private key")


class ShutdownAnswer(_M):
    id: int
    ok: Literal[True]


def _schema(adapter: TypeAdapter | type[BaseModel], name: str, title: str) -> dict[str, Any]:
    s = adapter.json_schema() if isinstance(adapter, TypeAdapter) else adapter.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + name, "title": title, **{k: v for k, v in s.items() if k != "title"}}


def render() -> dict[str, str]:
    messages = TypeAdapter(
        Describe | ValidateRequest | TranslateRequest | ProduceRequest | GatewayStart | GatewayCredentialRequest | Shutdown
        | DescribeAnswer | ValidateAnswer | TranslateAnswer | ProduceAnswer | GatewayStartAnswer | GatewayCredentialAnswer | ShutdownAnswer | Refusal
    )
    docs = {
        "case.schema.json": _schema(model.CASE, "case.schema.json", "金财符合性测试用例 jincai conformance case (case.yaml)"),
        "results.schema.json": _schema(model.Results, "results.schema.json", "金财符合性测试结果 jincai conformance results (results.json)"),
        "certificate.schema.json": _schema(model.Certificate, "certificate.schema.json", "金财符合性证书 jincai conformance certificate"),
        "sut.schema.json": _schema(model.Sut, "sut.schema.json", "被测系统描述 system under test (SUT.yaml)"),
        "harness-messages.schema.json": _schema(messages, "harness-messages.schema.json", f"适配程序协议消息 harness protocol messages ({PROTOCOL}), one JSON object per line"),
    }
    return {name: json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for name, doc in docs.items()}


def write(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
        written.append(out / name)
    return written


if __name__ == "__main__":
    for p in write():
        print(p)

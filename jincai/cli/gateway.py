"""``jincai gateway`` — run the ingestion gateway and manage its credentials and receipts.

``serve`` (no arguments: a local data folder with the DuckDB store, created on first start),
``init-ca``, ``issue-token`` / ``revoke-token``, ``issue-cert`` / ``revoke-cert``,
``verify-receipt``, ``verify-audit``. See docs/gateway/.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import List, Optional

import typer

from jincai.errors import JincaiError

gateway_app = typer.Typer(
    help="数据中心报送网关 / the data center's ingestion gateway",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_DATA_HELP = "网关数据目录 / the gateway's data folder"


def _limits(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not value.strip().isdigit():
            raise JincaiError("gateway-limit-setting", f"--limit 应为 名称=整数，实为 {item!r}", f"--limit must be NAME=INTEGER, got {item!r}", "--limit")
        out[name.strip()] = int(value)
    return out


@gateway_app.command("serve", help="启动网关（默认本地数据目录与内嵌 DuckDB 存储）/ run the gateway (default: a local data folder, embedded DuckDB store)")
def serve_cmd(
    data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP),
    store: Optional[str] = typer.Option(None, "--store", help="PostgreSQL 连接串；省略则用数据目录中的 DuckDB / a PostgreSQL URL; default the DuckDB file in --data"),
    pg_schema: Optional[str] = typer.Option(None, "--pg-schema", help="PostgreSQL 模式名 / PostgreSQL schema for the tables"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to listen on"),
    port: int = typer.Option(50443, "--port", help="TLS 端口（令牌认证；0 = 任意空闲端口）/ TLS port for bearer tokens, 0 = any free port"),
    mtls_port: Optional[int] = typer.Option(None, "--mtls-port", help="双向 TLS 端口（客户端证书；默认 --port+1，--port 0 时任意）/ mutual-TLS port for client certificates (default --port + 1)"),
    names: List[str] = typer.Option([], "--name", help="服务器证书的其他主机名（首次启动时）/ more names for the server certificate (first start)"),
    limit: List[str] = typer.Option([], "--limit", help="限制 NAME=N，如 gateway_region_submissions=4 / a limit, NAME=N"),
    workers: int = typer.Option(16, "--workers", help="处理线程数 / worker threads"),
) -> None:
    from jincai import limits
    from jincai.gateway.config import GatewayConfig
    from jincai.gateway.server import Gateway

    limits.configure(**_limits(limit))
    mport = mtls_port if mtls_port is not None else (port + 1 if port else 0)
    cfg = GatewayConfig(data=data, store=store, pg_schema=pg_schema, host=host, port=port, mtls_port=mport, server_names=list(names), workers=workers)
    gw = Gateway(cfg).start()
    where = "PostgreSQL" if store else str(Path(cfg.store_target))
    typer.echo(f"网关已启动 gateway listening on {host}:{gw.port} (TLS + 令牌 token), {host}:{gw.mtls_port} (双向 mutual TLS) · 存储 store {where} · CA {cfg.tls / 'ca.pem'}")
    sys.stdout.flush()

    def stop(signum, frame):  # noqa: ARG001
        gw.stop(grace=5)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    gw.wait()


@gateway_app.command("init-ca", help="创建本地 CA 与服务器证书 / create the local CA and the server certificate")
def init_ca_cmd(
    data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP),
    names: List[str] = typer.Option([], "--name", help="服务器证书的其他主机名 / more names for the server certificate"),
    force: bool = typer.Option(False, "--force", help="重建（已签发的证书全部失效）/ recreate (invalidates every certificate issued)"),
) -> None:
    from jincai.gateway.ca import CA

    ca = CA(data / "tls")
    ca.init(list(names), force=force)
    typer.echo(f"CA: {ca.dir / 'ca.pem'}  服务器证书 server certificate: {ca.dir / 'server.pem'}")


@gateway_app.command("issue-token", help="签发令牌（只显示一次，网关只存哈希）/ issue a bearer token (shown once; only its hash is stored)")
def issue_token_cmd(
    role: str = typer.Option(..., "--role", help="submitter | reader | auditor"),
    region: str = typer.Option(..., "--region", help="9 位财政区划代码 / 9-digit fiscal region code"),
    data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON"),
) -> None:
    from jincai.gateway.auth import Credentials
    from jincai.gateway.config import GatewayConfig

    tid, token = Credentials(GatewayConfig(data=data).credentials).issue_token(role, region)
    if as_json:
        typer.echo(json.dumps({"id": tid, "token": token, "role": role, "region": region}))
    else:
        typer.echo(f"令牌编号 token id: {tid}\n令牌 token（只显示这一次 shown only now）:\n{token}")


@gateway_app.command("revoke-token", help="吊销令牌 / revoke a token")
def revoke_token_cmd(token_id: str = typer.Argument(..., help="令牌编号 / token id"), data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP)) -> None:
    from jincai.gateway.auth import Credentials
    from jincai.gateway.config import GatewayConfig

    Credentials(GatewayConfig(data=data).credentials).revoke("token", token_id)
    typer.echo(f"已吊销 revoked token {token_id}")


@gateway_app.command("issue-cert", help="签发绑定区划与角色的客户端证书 / issue a client certificate bound to a region and a role")
def issue_cert_cmd(
    role: str = typer.Option(..., "--role", help="submitter | reader | auditor"),
    region: str = typer.Option(..., "--region", help="9 位财政区划代码 / 9-digit fiscal region code"),
    out: Path = typer.Option(..., "--out", help="写出 client.pem、client.key、ca.pem 的目录 / folder for client.pem, client.key, ca.pem"),
    days: int = typer.Option(365, "--days", help="有效天数 / days valid"),
    data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP),
) -> None:
    import os

    from jincai.gateway.auth import Credentials, check_binding
    from jincai.gateway.ca import CA
    from jincai.gateway.config import GatewayConfig

    cfg = GatewayConfig(data=data)
    check_binding(role, region)
    ca = CA(cfg.tls)
    key, cert, serial = ca.issue_client(role, region, days)
    Credentials(cfg.credentials).record_cert(serial, role, region)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / "client.key", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    (out / "client.pem").write_bytes(cert)
    (out / "ca.pem").write_bytes(ca.pem("ca.pem"))
    typer.echo(f"证书序列号 serial: {serial:x}  →  {out / 'client.pem'}, {out / 'client.key'}, {out / 'ca.pem'}")


@gateway_app.command("revoke-cert", help="吊销客户端证书 / revoke a client certificate")
def revoke_cert_cmd(serial: str = typer.Argument(..., help="证书序列号（十六进制）/ serial, hex"), data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP)) -> None:
    from jincai.gateway.auth import Credentials
    from jincai.gateway.config import GatewayConfig

    Credentials(GatewayConfig(data=data).credentials).revoke("cert", serial)
    typer.echo(f"已吊销 revoked certificate {serial}")


@gateway_app.command("verify-receipt", help="校验回执签名；退出码 0 有效、1 无效 / check a receipt's signature; exit 0 valid, 1 invalid")
def verify_receipt_cmd(
    receipt: Path = typer.Argument(..., help="回执文件（jincai submit 写出）/ the receipt file"),
    public_key: Optional[Path] = typer.Option(None, "--public-key", help="网关公钥 PEM / the gateway's public key"),
    data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help="无 --public-key 时用该数据目录中的公钥 / without --public-key, the key in this data folder"),
    as_json: bool = typer.Option(False, "--json", help="打印回执内容 JSON / print the content as JSON"),
) -> None:
    from jincai.gateway.config import GatewayConfig
    from jincai.gateway.receipts import load_public_key, verify

    key_path = public_key or GatewayConfig(data=data).signing_key.with_name("receipt-ed25519.pub.pem")
    try:
        key = load_public_key(key_path.read_bytes())
        doc = json.loads(receipt.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JincaiError("receipt-unreadable", f"无法读取：{exc.strerror}", f"cannot read: {exc.strerror}", str(exc.filename)) from None
    except ValueError:
        raise JincaiError("receipt-format", "回执文件不是 JSON", "the receipt file is not JSON", str(receipt)) from None
    try:
        content = verify(doc, key)
    except JincaiError as exc:
        typer.echo(f"无效 INVALID: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(content, ensure_ascii=False, indent=2))
    else:
        typer.echo(
            f"有效 VALID: 报送 submission {content['submission_id']} · 区划 region {content['mof_div_code']} · "
            f"{content['fiscal_year']}/{content['period']} · 状态 status {content['status']} · "
            f"记录 records {sum(e['records'] for e in content['entities'])} · 时间 time {content['server_time']}"
        )


@gateway_app.command("verify-audit", help="校验审计日志哈希链；退出码 0 完整、1 被改动 / check the audit log's hash chain; exit 0 intact, 1 altered")
def verify_audit_cmd(data: Path = typer.Option(Path("jincai-gateway-data"), "--data", help=_DATA_HELP)) -> None:
    from jincai.gateway.audit import verify
    from jincai.gateway.config import GatewayConfig

    path = GatewayConfig(data=data).audit_log
    if not path.exists():
        raise JincaiError("audit-missing", f"没有审计日志 {path}", f"no audit log at {path}", str(path))
    n, problems = verify(path)
    for p in problems[:50]:
        typer.echo(f"  {p}", err=True)
    if problems:
        typer.echo(f"被改动 ALTERED: {len(problems)} 处问题 problems in {n} entries", err=True)
        raise typer.Exit(1)
    typer.echo(f"完整 INTACT: {n} 条记录 entries")


def register(app: typer.Typer) -> None:
    app.add_typer(gateway_app, name="gateway")

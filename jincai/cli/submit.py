"""``jincai submit PATH... --to HOST:PORT`` — send a region's data to the gateway, keep the receipt.

Exit codes: 0 accepted (receipt written), 1 rejected by validation (quarantined; the signed receipt
and the report summary are written/printed), 2 any other error (the gateway's code and zh/en reason).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import typer

from jincai.errors import JincaiError


def submit(
    paths: List[Path] = typer.Argument(..., help="报送目录或文件（sample/translate 的输出目录可直接用）/ folders or files (a sample or translate output folder works as is)"),
    to: str = typer.Option(..., "--to", help="网关地址 HOST:PORT / the gateway"),
    ca: Optional[Path] = typer.Option(None, "--ca", help="信任的 CA 证书（默认 ./jincai-gateway-data/tls/ca.pem）/ CA certificate to trust"),
    token: Optional[str] = typer.Option(None, "--token", envvar="JINCAI_GATEWAY_TOKEN", help="Bearer 令牌（或环境变量 JINCAI_GATEWAY_TOKEN）/ bearer token"),
    cert: Optional[Path] = typer.Option(None, "--cert", help="客户端证书 / client certificate (mutual TLS)"),
    key: Optional[Path] = typer.Option(None, "--key", help="客户端私钥 / client key"),
    region: Optional[str] = typer.Option(None, "--region", help="报送区划（默认取数据中唯一的区划）/ region (default: the one in the data)"),
    year: Optional[int] = typer.Option(None, "--year", help="预算年度（默认取数据中的）/ fiscal year (default: from the data)"),
    period: Optional[str] = typer.Option(None, "--period", help="期间 YYYY | YYYY-MM | YYYY-MM-Dn（默认全年）/ period, default the whole year"),
    idempotency_key: Optional[str] = typer.Option(None, "--idempotency-key", help="幂等键（默认由内容导出）/ idempotency key (default: derived from the content)"),
    receipt: Optional[Path] = typer.Option(None, "--receipt", help="回执文件（默认 receipt-<报送编号>.json）/ receipt file"),
    batch: int = typer.Option(2000, "--batch", help="每批记录数 / records per message"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="截止时间（秒）/ deadline in seconds"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度 / no progress bar"),
) -> None:
    import grpc
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jincai.gateway import client
    from jincai.gateway.errors import details_of

    ca_path = ca or Path("jincai-gateway-data/tls/ca.pem")
    try:
        ca_pem = ca_path.read_bytes()
        cert_pem = cert.read_bytes() if cert else None
        key_pem = key.read_bytes() if key else None
    except OSError as exc:
        raise JincaiError("submit-credentials", f"无法读取 {exc.filename}：{exc.strerror}", f"cannot read {exc.filename}: {exc.strerror}", str(exc.filename)) from None
    if not token and not cert_pem:
        raise JincaiError("submit-credentials", "需要 --token（或 JINCAI_GATEWAY_TOKEN）或 --cert/--key", "give --token (or JINCAI_GATEWAY_TOKEN) or --cert/--key", "--token")
    prep = client.prepare(paths, region, year)
    period = period or str(prep.year)
    key_text = idempotency_key or client.default_key(prep, period)
    head = client.header(prep, period, key_text)
    stub = client.stub(client.channel(to, ca_pem, cert_pem, key_pem))
    with Progress(TextColumn("报送 submitting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), disable=quiet, transient=True) as bar:
        task = bar.add_task("records", total=prep.records_hint)
        msgs = client.requests(prep, head, batch, progress=lambda n: bar.advance(task, n))
        try:
            answer = stub.Submit(msgs, metadata=client.bearer(token), timeout=timeout)
        except grpc.RpcError as exc:
            d = details_of(exc)
            rejected = client.rejected_receipt(exc)
            if rejected is None:
                typer.echo(f"错误 error: {d['status']} {d['reason'] or ''}: {d['zh'] or ''} / {d['en'] or ''}", err=True)
                if d["metadata"]:
                    typer.echo(f"  {json.dumps(d['metadata'], ensure_ascii=False)}", err=True)
                raise typer.Exit(2) from None
            path = _write(rejected, receipt)
            c = client.content(rejected)
            typer.echo(f"未通过 REJECTED（已隔离 quarantined）: {d['reason']} — {d['zh']}\n{d['en']}", err=True)
            typer.echo(f"回执 receipt: {path}  报送编号 submission {c['submission_id']}", err=True)
            raise typer.Exit(1) from None
    path = _write(answer.receipt, receipt)
    c = client.content(answer.receipt)
    again = "（重复报送，返回原回执 replayed）" if answer.replayed else ""
    typer.echo(
        f"已接收 ACCEPTED{again}: 报送 submission {c['submission_id']} · 区划 region {c['mof_div_code']} · "
        f"{sum(e['records'] for e in c['entities'])} 条记录 records · 警告 warnings {c['issues_by_severity']['warning']}\n"
        f"回执 receipt: {path}"
    )


def _write(receipt, target: Path | None) -> Path:
    from jincai.gateway import client

    doc = client.receipt_json(receipt)
    path = target or Path(f"receipt-{client.content(receipt)['submission_id']}.json")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def register(app: typer.Typer) -> None:
    app.command("submit", help="把一个区划的数据报送到网关并保存签名回执 / send a region's data to the gateway and keep the signed receipt")(submit)

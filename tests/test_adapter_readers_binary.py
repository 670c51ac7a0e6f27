"""The binary-format readers: DBF, Excel, XML and SQL dumps (issue 4 §1).

Every physical data row must come out as a ``SourceRow`` with its location; values are passed as
stored (never a float for a decimal, never a replacement character for a bad byte).
"""

from __future__ import annotations

import codecs
import datetime as dt
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from jincai.adapters.legacy_files import DbfField, write_dbf
from jincai.adapters.readers import SourceRow, formats, get_reader
from jincai.errors import JincaiError


def items(fmt: str, path, **options) -> list[SourceRow]:
    """Everything the reader yields: data rows and what it reports as not read (``extra["filtered"]``)."""
    return list(get_reader(fmt).read(str(path), options))


def rows(fmt: str, path, **options) -> list[SourceRow]:
    """The data rows only."""
    return [r for r in items(fmt, path, **options) if "filtered" not in r.extra]


def test_registry_has_the_binary_formats():
    assert {"dbf", "xlsx", "xml", "sql_dump"} <= set(formats())


# ---------------------------------------------------------------------------------------------- DBF

FIELDS = [
    DbfField("PZH", "C", 8),
    DbfField("KMMC", "C", 40),
    DbfField("JE", "N", 15, 2),
    DbfField("BH", "N", 7, 0),
    DbfField("RQ", "D"),
    DbfField("SH", "L"),
    DbfField("BZ", "M"),
]


def _voucher_table(path: Path, **kw) -> None:
    write_dbf(
        path,
        FIELDS,
        [
            {"PZH": "0001", "KMMC": "行政运行", "JE": Decimal("1234.50"), "BH": 101, "RQ": dt.date(2024, 3, 5), "SH": True, "BZ": "第一张凭证的附言，" * 30},
            {"PZH": "0002", "KMMC": "  一般行政管理事务", "JE": Decimal("-0.01"), "BH": None, "RQ": None, "SH": False, "BZ": ""},
            {"PZH": "0003", "KMMC": "已作废", "JE": "*****", "BH": 7, "RQ": "20241332", "SH": None, "BZ": "作废"},
            {"PZH": "0004", "KMMC": "镕𠀀", "JE": 12, "BH": 0, "RQ": dt.date(2024, 12, 31), "SH": True},
        ],
        deleted=[2],
        **kw,
    )


def test_dbf_gbk_code_page_memo_and_deleted_records(tmp_path):
    path = tmp_path / "PZ.DBF"
    _voucher_table(path, encoding="gb18030", ldid=0x7A)
    out = rows("dbf", path)
    assert [r.row for r in out] == [1, 2, 3, 4]
    assert [r.extra["deleted"] for r in out] == [False, False, True, False]
    first = out[0].values
    assert first["KMMC"] == "行政运行"
    assert first["JE"] == Decimal("1234.50") and str(first["JE"]) == "1234.50"
    assert first["BH"] == 101 and isinstance(first["BH"], int)
    assert first["RQ"] == dt.date(2024, 3, 5)
    assert first["SH"] is True
    assert first["BZ"] == "第一张凭证的附言，" * 30  # memo longer than one block
    second = out[1].values
    assert second["KMMC"] == "  一般行政管理事务"  # leading blanks are data, trailing padding is not
    assert second["JE"] == Decimal("-0.01") and second["BH"] is None and second["RQ"] is None
    assert second["BZ"] is None
    third = out[2].values
    assert third["JE"] == "*****"  # an overflowed number stays as written, for the profile to reject
    assert third["RQ"] == "20241332"  # not a date: passed raw
    assert third["SH"] is None
    assert out[3].values["KMMC"] == "镕𠀀"  # outside GB2312, read because GBK is read as GB18030
    assert out[3].values["JE"] == Decimal("12.00")
    # byte offsets point at the records
    rec_len = 1 + sum(f.size() for f in FIELDS)
    assert out[1].byte_offset - out[0].byte_offset == rec_len


def test_dbf_declared_encoding_and_missing_code_page(tmp_path):
    path = tmp_path / "nocp.dbf"
    _voucher_table(path, encoding="gb18030", ldid=0)
    with pytest.raises(JincaiError) as err:
        rows("dbf", path)
    assert err.value.code == "adapter-undecodable-bytes"
    assert "source.encoding" in err.value.message_en
    assert rows("dbf", path, encoding="GBK")[0].values["KMMC"] == "行政运行"


def test_dbf_undecodable_byte_is_an_error_with_its_offset(tmp_path):
    path = tmp_path / "bad.dbf"
    write_dbf(path, [DbfField("MC", "C", 6)], [{"MC": "好"}, {"MC": b"\xff\xfe"}], encoding="gbk")
    with pytest.raises(JincaiError) as err:
        rows("dbf", path)
    e = err.value
    assert e.code == "adapter-undecodable-bytes"
    header = 32 + 32 + 1
    assert e.details["byte_offset"] == header + 7 + 1  # second record, after its deletion flag
    assert "record 2" in e.message_en


def test_dbf_memo_file_missing_and_truncated_table(tmp_path):
    path = tmp_path / "pz.dbf"
    _voucher_table(path, encoding="gb18030")
    (tmp_path / "pz.fpt").unlink()
    with pytest.raises(JincaiError) as err:
        rows("dbf", path)
    assert err.value.code == "adapter-dbf-memo-missing"

    path = tmp_path / "cut.dbf"
    write_dbf(path, [DbfField("A", "C", 4)], [{"A": str(i)} for i in range(5)], encoding="gbk")
    path.write_bytes(path.read_bytes()[:-8])  # the EOF mark, the last record and 2 bytes of the one before
    got = rows("dbf", path)
    assert [r.row for r in got] == [1, 2, 3, 4, 5]
    assert [r.extra.get("reject", {}).get("code") for r in got] == [None, None, None, "dbf-record-truncated", "dbf-records-missing"]


def test_dbf_written_by_the_dbf_package(tmp_path):
    dbf = pytest.importorskip("dbf")
    for kind in ("vfp", "db3"):
        path = tmp_path / f"{kind}.dbf"
        spec = "KMDM C(12); KMMC C(40); JE N(15,2); RQ D; BZ M"
        table = dbf.Table(str(path), spec, codepage="cp936", dbf_type=kind)
        table.open(dbf.READ_WRITE)
        table.append(("2010101", "行政运行", 1234.5, dbf.Date(2024, 3, 5), "备注" * 100))
        table.append(("2010102", "删除的记录", 1, None, "x"))
        dbf.delete(table[1])
        table.close()
        out = rows("dbf", path)
        assert [r.extra["deleted"] for r in out] == [False, True]
        v = out[0].values
        assert (v["KMDM"], v["KMMC"], v["JE"], v["RQ"]) == ("2010101", "行政运行", Decimal("1234.50"), dt.date(2024, 3, 5))
        assert v["BZ"] == "备注" * 100


# -------------------------------------------------------------------------------------------- Excel


def _report_workbook(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    notes = wb.add_worksheet("填表说明")
    notes.write(0, 0, "本工作簿各月一张表")
    date_fmt = wb.add_format({"num_format": "yyyy\"年\"m\"月\"d\"日\""})
    amount = wb.add_format({"num_format": "#,##0.0000"})
    for month in ("1月", "2月"):
        ws = wb.add_worksheet(month)
        ws.merge_range("A1:F1", f"2024年{month} 一般公共预算支出月报")
        ws.write("A2", "单位：万元")
        ws.merge_range("A3:A4", "科  目")
        ws.merge_range("B3:C3", "本月")
        ws.write("B4", "预算数")
        ws.write("C4", "执行数")
        ws.merge_range("D3:D4", "本年\n累计")
        ws.merge_range("E3:E4", "编报日期")
        ws.merge_range("F3:F4", "金额")  # a second 金额 column below
        ws.write("G3", "金额")
        ws.write("A5", "2010101 行政运行")
        ws.write_number("B5", 12.3456, amount)
        ws.write_string("C5", "001.50")  # a number stored as text
        ws.write_number("D5", 100, amount)
        ws.write_datetime("E5", dt.datetime(2024, 3, 5), date_fmt)
        ws.write_number("F5", 6222021234567890123)  # an account number Excel made a float
        ws.write_string("A6", "0101")  # a code stored as text keeps its zero
        ws.write_number("B6", 101)  # the same code typed as a number lost it
        ws.write_number("E6", 45356)  # a date serial with no date format
        ws.write("A8", "小计")
        ws.write_formula("B8", "=SUM(B5:B7)", amount, 12.3456)
        ws.write("A9", "合计")
        ws.write_formula("B9", "=B8", amount, 12.3456)
        ws.write("A11", "注：本表金额单位为万元，保留四位小数。")
        ws.write_blank("A14", None, amount)  # formatted but empty rows below the table
    wb.close()


def test_excel_merged_multirow_header_subtotals_and_notes(tmp_path):
    path = tmp_path / "月报.xlsx"
    _report_workbook(path)
    out = rows("xlsx", path, sheets=["1月"], header_match="科目", header_rows=2)
    assert [r.row for r in out] == [5, 6, 7, 8, 9, 10, 11]  # blank rows inside the table kept, none after
    assert all(r.sheet == "1月" for r in out)
    names = list(out[0].values)
    assert names == ["科目", "本月/预算数", "本月/执行数", "本年累计", "编报日期", "金额", "金额@G"]
    v = out[0].values
    assert v["科目"] == "2010101 行政运行"
    assert v["本月/预算数"] == 12.3456
    assert v["本月/执行数"] == "001.50"
    assert v["编报日期"] == dt.datetime(2024, 3, 5)
    assert isinstance(v["金额"], float) and v["金额"] > 6.2e18
    assert out[0].extra["number_formats"]["本月/预算数"] == "#,##0.0000"
    assert "年" in out[0].extra["number_formats"]["编报日期"]
    assert out[0].extra["columns"]["本年累计"] == "D"
    second = out[1].values
    assert second["科目"] == "0101" and second["本月/预算数"] == 101 and second["编报日期"] == 45356
    assert "编报日期" not in out[1].extra.get("number_formats", {})  # a serial with General format
    assert all(value is None for value in out[2].values.values())  # blank row 7
    assert out[3].values["科目"] == "小计" and out[3].values["本月/预算数"] == 12.3456  # cached formula result
    assert out[4].values["科目"] == "合计"
    assert out[6].values["科目"].startswith("注：")


def test_excel_sheets_by_name_pattern_and_default(tmp_path):
    path = tmp_path / "月报.xlsx"
    _report_workbook(path)
    first = rows("xlsx", path, header=False)
    assert {r.sheet for r in first} == {"填表说明"} and first[0].values == {"A": "本工作簿各月一张表"}
    both = rows("xlsx", path, sheets=["re:[0-9]+月"], header_match=["科目", "项目"], header_rows=2)
    assert [r.sheet for r in both if r.row == 5] == ["1月", "2月"]
    with pytest.raises(JincaiError) as err:
        rows("xlsx", path, sheets=["3月"])
    assert err.value.code == "adapter-sheet-missing"
    with pytest.raises(JincaiError) as err:
        rows("xlsx", path, sheets=["1月"], header_match="不存在的列")
    assert err.value.code == "adapter-header-not-found"


def test_excel_fixed_header_row_and_fill_merged(tmp_path):
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("明细")
    ws.write_row(0, 0, ["类别", "单位", "", "金额"])
    ws.merge_range("A2:A3", "行政")
    ws.write_row(1, 1, ["甲局", None, 1])
    ws.write_row(2, 1, ["乙局", None, 2])
    ws.write("F2", "表外批注")
    wb.close()
    plain = rows("xlsx", path, sheets="明细", header_row=1)
    assert list(plain[0].values) == ["类别", "单位", "C", "金额", "F"]
    assert plain[1].values["类别"] is None
    filled = rows("xlsx", path, sheets="明细", header_row=1, fill_merged=True)
    assert filled[1].values["类别"] == "行政"
    assert plain[0].values["F"] == "表外批注" and plain[0].extra["columns"]["F"] == "F"


# ---------------------------------------------------------------------------------------------- XML

XML_DOC = """<?xml version="1.0" encoding="{enc}"?>
<!-- 仿 GB/T 24589 的示例版式（假定） -->
<电子账簿 xmlns="urn:example:ledger" 版本="1.0">
  <会计年度>2024</会计年度>
  <记账凭证>
    <凭证编号>0001</凭证编号>
    <凭证日期>2024-03-05</凭证日期>
    <分录 序号="1"><摘要>支付办公费</摘要><科目编号>5001</科目编号><借方金额>1234.50</借方金额>
      <辅助核算><功能科目>2010101</功能科目><项目>镕</项目><项目>𠀀</项目></辅助核算></分录>
    <分录 序号="2"><摘要>支付办公费</摘要><科目编号>1001</科目编号><贷方金额>1234.50</贷方金额><备注/></分录>
  </记账凭证>
  <记账凭证>
    <凭证编号>0002</凭证编号>
    <分录 序号="1"><摘要>冲销</摘要></分录>
  </记账凭证>
</电子账簿>
"""


@pytest.mark.parametrize("declared,codec", [("GB2312", "gb18030"), ("GBK", "gb18030"), ("GB18030", "gb18030"), ("UTF-8", "utf-8")])
def test_xml_declared_encodings(tmp_path, declared, codec):
    path = tmp_path / "凭证.xml"
    path.write_bytes(XML_DOC.format(enc=declared).encode(codec))
    out = rows("xml", path, record="记账凭证/分录")
    assert [r.row for r in out] == [1, 2, 3]
    assert out[0].sheet == "/电子账簿/记账凭证/分录"
    assert [r.extra["path"] for r in out] == ["/电子账簿/记账凭证/分录", "/电子账簿/记账凭证/分录[2]", "/电子账簿/记账凭证[2]/分录"]
    v = out[0].values
    assert v["@序号"] == "1" and v["借方金额"] == "1234.50"
    assert v["辅助核算/功能科目"] == "2010101"
    assert v["辅助核算/项目"] == "镕" and v["辅助核算/项目[2]"] == "𠀀"
    assert v["电子账簿/@版本"] == "1.0" and v["电子账簿/会计年度"] == "2024"
    assert v["记账凭证/凭证编号"] == "0001"
    assert out[1].values["备注"] == ""
    assert out[2].values["记账凭证/凭证编号"] == "0002" and "记账凭证/凭证日期" not in out[2].values
    no_context = rows("xml", path, record="/电子账簿/记账凭证/分录", context=False)
    assert "记账凭证/凭证编号" not in no_context[0].values and len(no_context) == 3


def test_xml_utf16_bom_and_declared_override(tmp_path):
    path = tmp_path / "u16.xml"
    path.write_bytes(codecs.BOM_UTF16_LE + XML_DOC.format(enc="UTF-16").encode("utf-16-le"))
    assert rows("xml", path, record="分录")[0].values["摘要"] == "支付办公费"
    wrong = tmp_path / "wrong.xml"  # declares UTF-8 but is GBK: the profile can say so
    wrong.write_bytes(XML_DOC.format(enc="UTF-8").encode("gb18030"))
    with pytest.raises(JincaiError) as err:
        rows("xml", wrong, record="分录")
    assert err.value.code == "adapter-undecodable-bytes"
    assert rows("xml", wrong, record="分录", encoding="GBK")[0].values["摘要"] == "支付办公费"


def test_xml_bad_bytes_and_malformed_documents(tmp_path):
    data = XML_DOC.format(enc="GBK").encode("gb18030")
    at = data.index("支付办公费".encode("gb18030"))
    path = tmp_path / "bad.xml"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1 :])
    with pytest.raises(JincaiError) as err:
        rows("xml", path, record="分录")
    assert err.value.details["byte_offset"] == at
    broken = tmp_path / "broken.xml"
    broken.write_bytes(XML_DOC.format(enc="UTF-8").replace("</摘要>", "</摘>", 1).encode())
    with pytest.raises(JincaiError) as err:
        rows("xml", broken, record="分录")
    assert err.value.code == "adapter-xml-malformed" and err.value.details["line"] == 8
    with pytest.raises(JincaiError):
        rows("xml", broken)  # no record option


def test_xml_streams_in_flat_memory(tmp_path):
    path = tmp_path / "big.xml"
    line = "<分录><摘要>支付办公费用</摘要><科目编号>5001</科目编号><借方金额>1234.50</借方金额></分录>"
    with open(path, "w", encoding="gb18030") as fh:
        fh.write('<?xml version="1.0" encoding="GB2312"?>\n<电子账簿>')
        for i in range(2000):
            fh.write(f"<记账凭证><凭证编号>{i}</凭证编号>" + line * 25 + "</记账凭证>\n")
        fh.write("</电子账簿>")
    assert path.stat().st_size > 4_000_000
    tracemalloc.start()
    n = sum(1 for _ in get_reader("xml").read(str(path), {"record": "记账凭证/分录"}))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 50_000
    assert peak < 3_000_000, peak  # the whole tree would take well over 50 MB


# ----------------------------------------------------------------------------------------- SQL dumps

TSQL = """USE [PAYDB]
GO
/****** Object:  Table [dbo].[PAY_VOUCHER]    Script Date: 2025/1/2 9:00:00 ******/
SET ANSI_NULLS ON
GO
CREATE TABLE [dbo].[PAY_VOUCHER](
\t[VOU_ID] [varchar](38) NOT NULL,
\t[AMT] [decimal](18, 2) NULL,
\t[PAYEE] [nvarchar](300) NULL,
\t[FEE] [money] NULL,
\t[VDATE] [datetime] NULL,
\t[PAY_TYPE] [char](2) NULL,
\t[NOTE] [nvarchar](max) NULL,
 CONSTRAINT [PK_PAY_VOUCHER] PRIMARY KEY CLUSTERED
(
\t[VOU_ID] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON) ON [PRIMARY]
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
CREATE TABLE [dbo].[PAY_DETAIL]([DET_ID] [varchar](38) NOT NULL, [VOU_ID] [varchar](38) NULL, [AMT] [decimal](18, 2) NULL)
GO
SET IDENTITY_INSERT [dbo].[PAY_VOUCHER] OFF
INSERT [dbo].[PAY_VOUCHER] ([VOU_ID], [AMT], [PAYEE], [FEE], [VDATE], [PAY_TYPE], [NOTE]) VALUES (N'P001', CAST(1234.50 AS Decimal(18, 2)), N'保定市某公司', 12.3400, CAST(N'2024-03-05T00:00:00.000' AS DateTime), N'ZJ', N'it''s; -- not a comment')
INSERT [dbo].[PAY_VOUCHER] ([VOU_ID], [AMT], [PAYEE], [FEE], [VDATE], [PAY_TYPE], [NOTE]) VALUES (N'P002', CAST(-5.00 AS Decimal(18, 2)), N'𠀀镕', NULL, CAST(N'2024-12-31T10:11:12.000' AS DateTime), N'SQ', N'line1
INSERT line2')
INSERT [dbo].[PAY_DETAIL] ([DET_ID], [VOU_ID], [AMT]) VALUES (N'D1', N'P001', CAST(1000.00 AS Decimal(18, 2)))
INSERT [dbo].[PAY_DETAIL] ([DET_ID], [VOU_ID], [AMT]) VALUES (N'D2', N'P001', CAST(234.50 AS Decimal(18, 2)))
GO
"""


def _tsql(tmp_path) -> Path:
    path = tmp_path / "paydb.sql"
    path.write_bytes(codecs.BOM_UTF16_LE + TSQL.encode("utf-16-le"))
    return path


def test_sql_dump_tsql_utf16_whole_tables(tmp_path):
    out = rows("sql_dump", _tsql(tmp_path), dialect="tsql")
    assert [(r.sheet, r.row, r.extra["line"]) for r in out] == [
        ("PAY_VOUCHER", 1, 23), ("PAY_VOUCHER", 2, 24), ("PAY_DETAIL", 1, 26), ("PAY_DETAIL", 2, 27)]
    v = out[0].values
    assert v == {"VOU_ID": "P001", "AMT": Decimal("1234.50"), "PAYEE": "保定市某公司", "FEE": Decimal("12.3400"),
                 "VDATE": dt.datetime(2024, 3, 5), "PAY_TYPE": "ZJ", "NOTE": "it's; -- not a comment"}
    assert out[1].values["PAYEE"] == "𠀀镕" and out[1].values["NOTE"] == "line1\nINSERT line2"


def test_sql_dump_tsql_extraction_query_is_transpiled(tmp_path):
    query = """SELECT d.DET_ID, d.AMT, v.VOU_ID, ISNULL(v.NOTE, N'') AS note, CONVERT(varchar(8), v.VDATE, 112) AS vou_date,
                      CASE v.PAY_TYPE WHEN 'ZJ' THEN '1' WHEN 'SQ' THEN '2' END AS pay_type
               FROM dbo.PAY_DETAIL d INNER JOIN [dbo].[PAY_VOUCHER] v WITH (NOLOCK) ON v.VOU_ID = d.VOU_ID ORDER BY d.DET_ID DESC"""
    out = rows("sql_dump", _tsql(tmp_path), dialect="tsql", query=query)
    assert [(r.row, r.values["DET_ID"], r.values["vou_date"], r.values["pay_type"]) for r in out] == [(2, "D2", "20240305", "1"), (1, "D1", "20240305", "1")]
    assert out[0].sheet == "PAY_DETAIL" and out[0].extra["line"] == 27
    assert out[0].extra["sources"] == {"PAY_DETAIL": {"row": 2, "line": 27}, "PAY_VOUCHER": {"row": 1, "line": 23}}
    assert not any(k.startswith("__") for k in out[0].values)
    # driven by the voucher, a voucher with two lines would come out twice: it is rejected once instead
    one_to_many = "SELECT v.VOU_ID, d.DET_ID FROM PAY_VOUCHER v LEFT JOIN PAY_DETAIL d ON d.VOU_ID = v.VOU_ID ORDER BY v.VOU_ID"
    out = rows("sql_dump", _tsql(tmp_path), dialect="tsql", query=one_to_many)
    assert [(r.row, (r.extra.get("reject") or {}).get("code")) for r in out] == [(1, "sql-join-duplicated"), (2, None)]
    assert out[1].extra["sources"]["PAY_DETAIL"] == {"row": None, "line": None}  # a LEFT JOIN may find nothing
    with pytest.raises(JincaiError) as err:  # rows merged by GROUP BY cannot be accounted for one by one
        rows("sql_dump", _tsql(tmp_path), dialect="tsql", queries={"totals": "SELECT VOU_ID, SUM(AMT) AS s FROM PAY_DETAIL GROUP BY VOU_ID"})
    assert err.value.code == "adapter-sql-query" and "GROUP BY" in err.value.message_en and err.value.location == "source.queries.totals"


ORACLE = """REM INSERTING into FIN.PAY_VOUCHER
SET DEFINE OFF;
CREATE TABLE "FIN"."PAY_VOUCHER" ("VOU_ID" VARCHAR2(38 BYTE) NOT NULL ENABLE, "AMT" NUMBER(18,2), "N" NUMBER, "VDATE" DATE, "NOTE" CLOB,
  CONSTRAINT "PK_PV" PRIMARY KEY ("VOU_ID") USING INDEX TABLESPACE "USERS" ENABLE) SEGMENT CREATION IMMEDIATE PCTFREE 10 TABLESPACE "USERS" ;
Insert into FIN.PAY_VOUCHER (VOU_ID,AMT,N,VDATE,NOTE) values ('P001',1234.5,3,to_date('05-MAR-24','DD-MON-RR'),'支付');
Insert into FIN.PAY_VOUCHER (VOU_ID,AMT,N,VDATE,NOTE) values ('P002',0.1,3.25,to_date('2024-03-05 10:11:12','YYYY-MM-DD HH24:MI:SS'),q'[it's; ok]');
"""


def test_sql_dump_oracle(tmp_path):
    path = tmp_path / "ora.sql"
    path.write_bytes(ORACLE.encode("gbk"))
    out = rows("sql_dump", path, dialect="oracle", encoding="GBK")
    assert [r.extra["line"] for r in out] == [5, 6]
    assert out[0].values["AMT"] == Decimal("1234.50") and out[0].values["VDATE"] == dt.datetime(2024, 3, 5)
    assert out[1].values["VDATE"] == dt.datetime(2024, 3, 5, 10, 11, 12)  # Oracle DATE keeps the time
    assert out[1].values["NOTE"] == "it's; ok" and out[1].values["N"] == Decimal("3.25")
    q = "SELECT VOU_ID, NVL(NOTE, '-') AS note, TO_CHAR(VDATE, 'YYYYMMDD') AS d, DECODE(N, 3, 'a', 'b') AS x FROM FIN.PAY_VOUCHER"
    got = rows("sql_dump", path, dialect="oracle", encoding="GBK", query=q)
    assert [(r.values["d"], r.values["x"]) for r in got] == [("20240305", "a"), ("20240305", "b")]


MYSQL = r"""-- MySQL dump 10.13
/*!40101 SET NAMES gbk */;
DROP TABLE IF EXISTS `pay_voucher`;
CREATE TABLE `pay_voucher` (
  `vou_id` varchar(38) NOT NULL,
  `amt` decimal(18,2) DEFAULT NULL COMMENT '金额',
  `vdate` datetime DEFAULT NULL,
  `payee` varchar(100) CHARACTER SET gbk DEFAULT NULL,
  PRIMARY KEY (`vou_id`),
  KEY `idx_d` (`vdate`)
) ENGINE=InnoDB DEFAULT CHARSET=gbk COMMENT='支付凭证';
LOCK TABLES `pay_voucher` WRITE;
INSERT INTO `pay_voucher` VALUES ('P001',1234.50,'2024-03-05 00:00:00','甲;乙'),('P002',-1.00,NULL,'it\'s'),
('P\'3',0.00,'0000-00-00 00:00:00',NULL);
UNLOCK TABLES;
"""


def test_sql_dump_mysql(tmp_path):
    path = tmp_path / "my.sql"
    path.write_bytes(MYSQL.encode("gbk"))
    out = rows("sql_dump", path, dialect="mysql", encoding="GBK")
    assert [(r.row, r.extra["line"]) for r in out] == [(1, 13), (2, 13), (3, 14)]
    assert out[0].values["payee"] == "甲;乙" and out[1].values["payee"] == "it's" and out[2].values["vou_id"] == "P'3"
    assert out[2].values["vdate"] is None  # MySQL's zero date
    got = rows("sql_dump", path, dialect="mysql", encoding="GBK", query="SELECT IFNULL(amt, 0) AS a, DATE_FORMAT(vdate, '%Y%m%d') AS d FROM pay_voucher")
    assert [(r.values["a"], r.values["d"]) for r in got] == [(Decimal("1234.50"), "20240305"), (Decimal("-1.00"), None), (Decimal("0.00"), None)]
    with pytest.raises(JincaiError) as err:
        rows("sql_dump", path, dialect="mysql")  # GBK without a declared encoding
    assert err.value.code == "adapter-undecodable-bytes" and "line 6" in err.value.message_en


def test_sql_dump_errors_name_the_line(tmp_path):
    path = tmp_path / "x.sql"
    path.write_text("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;\n")
    with pytest.raises(JincaiError) as err:
        rows("sql_dump", path, dialect="mysql")
    assert err.value.details["line"] == 3
    path.write_text("CREATE TABLE t (a int);\n\nINSERT INTO u VALUES (1);\n")
    with pytest.raises(JincaiError) as err:
        rows("sql_dump", path, dialect="mysql")
    assert err.value.details["line"] == 3 and "u" in err.value.message_en
    path.write_text("CREATE TABLE t (d date);\nINSERT INTO t VALUES ('2024-01-01');\nINSERT INTO t VALUES ('2024-02-30');\n")
    bad = rows("sql_dump", path, dialect="mysql")[1]  # a value that does not fit its column rejects its row, not the file
    assert (bad.row, bad.extra["line"], bad.extra["reject"]["code"], bad.extra["reject"]["column"]) == (2, 3, "sql-value-invalid", "d")
    with pytest.raises(JincaiError) as err:
        rows("sql_dump", path, dialect="db2")
    assert err.value.code == "adapter-reader-option"


def test_excel_xls_through_xlrd():
    """``tests/data/adapters/月报.xls`` is a BIFF8 workbook written once with xlwt 1.3 (not a project
    dependency): a two-row merged header under a title, a 万元 amount with its number format, a number
    stored as text, a date cell and a date serial without a format, an account number typed as a number,
    a 合计 row and a note."""
    pytest.importorskip("xlrd")
    path = Path(__file__).parent / "data" / "adapters" / "月报.xls"
    out = rows("excel", path, header_match="科目", header_rows=2)
    assert [r.row for r in out] == [5, 6, 7, 8, 9, 10] and {r.sheet for r in out} == {"1月"}
    v = out[0].values
    assert list(v) == ["科目", "本月/预算数", "本月/执行数", "编报日期", "账号"]
    assert v["本月/预算数"] == 12.3456 and v["本月/执行数"] == "001.50"
    assert v["编报日期"] == dt.datetime(2024, 3, 5)
    assert isinstance(v["账号"], float)  # 6.22E+18 stays a float, never an int that looks exact
    assert out[0].extra["number_formats"] == {"本月/预算数": "#,##0.0000", "编报日期": 'yyyy"年"m"月"d"日"'}
    assert out[1].values["科目"] == "0101" and out[1].values["本月/预算数"] == 101 and out[1].values["编报日期"] == 45356
    assert out[3].values["科目"] == "合计" and out[5].values["科目"].startswith("注")
    assert [r.sheet for r in rows("excel", path, sheets=["2月"], header=False)] == ["2月"]


def test_sql_dump_tsql_string_lengths_behave_as_in_sql_server(tmp_path):
    """DuckDB ignores the length of a cast to varchar(n); SQL Server truncates (the common
    ``CONVERT(varchar(10), d, 120)`` idiom relies on it) and pads char(n)."""
    query = ("SELECT CONVERT(varchar(10), VDATE, 120) AS d10, CONVERT(varchar(19), VDATE, 120) AS d19, "
             "CAST(PAY_TYPE AS char(4)) AS c4, CONVERT(nvarchar(max), NOTE) AS note, LEFT(PAYEE, 3) AS p3 FROM PAY_VOUCHER")
    out = rows("sql_dump", _tsql(tmp_path), dialect="tsql", query=query)
    v = out[1].values
    assert v["d10"] == "2024-12-31" and v["d19"] == "2024-12-31 10:11:12"
    assert v["c4"] == "SQ  " and v["note"] == "line1\nINSERT line2" and v["p3"] == "𠀀镕"


def test_reader_options_are_checked():
    for fmt, options in (("dbf", {"sheets": ["x"]}), ("excel", {"header_rows": 0}), ("xml", {"recrod": "a"}), ("sql_dump", {"dialect": "tsql", "query": 3})):
        with pytest.raises(JincaiError) as err:
            list(get_reader(fmt).read("/nonexistent", options))
        assert err.value.code == "adapter-reader-option", (fmt, err.value)
    assert get_reader("xlsx").options_model is get_reader("excel").options_model


def test_dbf_memo_file_given_as_input_has_no_rows_of_its_own(tmp_path):
    _voucher_table(tmp_path / "PZ.DBF", encoding="gb18030")
    reader = get_reader("dbf")
    assert list(reader.read(str(tmp_path / "PZ.FPT"), {})) == []
    assert reader.info["memo_file_of"].endswith("PZ.DBF")
    (tmp_path / "PZ.DBF").rename(tmp_path / "OTHER.DBF")
    with pytest.raises(JincaiError) as err:
        list(reader.read(str(tmp_path / "PZ.FPT"), {}))
    assert err.value.code == "adapter-dbf-memo-alone"

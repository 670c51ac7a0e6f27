"""Code lists: shipped content, lookups by year/date, local extensions, the dep→gov mapping, the
yearly import (on a copy of standards/codelists in tmp_path, never the real one) and the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import paths
from jincai.cli import app
from jincai.codelist_import import ImportRow, plan_import, read_official_file, write_plan
from jincai.codelists import REASON_CODES, CodeList, load_registry, registry
from jincai.errors import JincaiError

runner = CliRunner()
REG = registry()


def cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture()
def tmp_codelists(tmp_path: Path) -> Path:
    root = tmp_path / "codelists"
    shutil.copytree(paths.CODELISTS, root)
    return root


def digest(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.glob("*.csv"))}


# --------------------------------------------------------------------------------------------------
# shipped content
# --------------------------------------------------------------------------------------------------

EXPECTED_ROWS = {
    "mof_div": 207, "town": 2365, "exp_func": 44, "rev_class": 37, "dep_bgt_eco": 110, "gov_bgt_eco": 61,
    "gov_acct": 59, "fund_type": 7, "pay_type": 3, "set_mode": 6, "source_type": 5, "budget_level": 5,
    "adj_type": 4, "exp_category": 3, "quota_basis": 4, "agency_type": 4, "div_level": 4,
    "report_period": 2, "consolidation_scope": 2, "pay_status": 3, "currency": 5,
}


def test_row_counts_per_list():
    assert {cl.id: len(cl.rows) for cl in REG} == EXPECTED_ROWS
    assert len(REG.dep_to_gov_rows) == 104


def test_mof_div_shape():
    mof = REG.get("mof_div")
    codes = {r.code for r in mof.rows}
    by_level = {lv: {r.code for r in mof.rows if r.level == lv} for lv in (1, 2, 3)}
    assert by_level[1] == {"130000000"}
    assert len(by_level[2]) == 11
    assert len(by_level[3]) == 190 + 3  # 2023 county-level rows + 3 abolished in 2020
    assert len(codes) == 1 + 11 + 193
    dev_zones = [r for r in mof.rows if "NOT GB/T 2260" in r.source]
    assert len(dev_zones) == 23 and all(r.status == "M" for r in dev_zones)
    assert all(r.code[4:6] >= "71" for r in dev_zones)
    # the Xingtai dates are flagged as unverified in source
    dated = [r for r in mof.rows if r.valid_from or r.valid_to]
    assert len(dated) == 3 + 2 + 4
    assert all("unverified" in r.source for r in dated)
    # townships are not in mof_div but in the open list town, parented by county fiscal codes
    assert not any(r.code[6:] != "000" for r in mof.rows)
    town = REG.get("town")
    assert not town.closed and town.parent_list == "mof_div"
    assert all(r.parent in codes and r.parent.endswith("000") for r in town.rows)


def test_small_lists_exact_codes():
    def pairs(list_id):
        return [(r.code, r.name_zh) for r in REG.get(list_id).rows]

    assert pairs("fund_type") == [("1", "一般公共预算资金"), ("2", "政府性基金预算资金"), ("3", "国有资本经营预算资金"),
                                  ("4", "社会保险基金预算资金"), ("5", "财政专户管理资金"), ("6", "单位资金"), ("9", "其他资金")]
    assert pairs("pay_type") == [("1", "财政直接支付"), ("2", "财政授权支付"), ("9", "其他")]
    assert [c for c, _ in pairs("set_mode")] == ["1", "2", "3", "4", "5", "9"]
    assert [c for c, _ in pairs("quota_basis")] == ["01", "02", "03", "04"]
    assert REG.get("quota_basis").lookup("03", 2024).row.extra["unit"] == "平方米"
    assert pairs("consolidation_scope")[1] == ("2", "汇总（本级及所属下级）")
    assert {c for c, _ in pairs("currency")} == {"CNY", "USD", "EUR", "HKD", "JPY"}
    for list_id in ("fund_type", "pay_type", "agency_type", "div_level", "pay_status"):
        assert all(r.status == "M" and "unverified" in r.source for r in REG.get(list_id).rows)


def test_every_row_obeys_pattern_and_has_its_parent():
    for cl in REG:
        regex = re.compile(cl.pattern)
        parents = REG.get(cl.parent_list) if cl.parent_list else cl
        for r in cl.rows:
            assert regex.fullmatch(r.code), (cl.id, r.code)
            assert r.status in ("V", "M"), (cl.id, r.code)
            assert r.name_zh and r.name_en, (cl.id, r.code)
            assert r.source, (cl.id, r.code)
            if r.parent:
                assert r.parent in parents, (cl.id, r.code, r.parent)
                assert any(p.overlaps(r.lo, r.hi) for p in parents.history(r.parent)), (cl.id, r.code)
            if cl.level_by_length and cl.parent_list is None:
                assert r.level == cl.level_for(r.code).level
                assert r.parent == cl.parent_for(r.code)


def test_csv_files_follow_the_readme_format():
    for cl in REG:
        raw = (paths.CODELISTS / cl.file).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        header = next(csv.reader(raw.decode("utf-8").splitlines()))
        assert header[:9] == ["code", "parent", "level", "name_zh", "name_en", "valid_from", "valid_to", "status", "source"]


def test_metadata_matches_the_element_dictionary():
    elements = yaml.safe_load((paths.STANDARDS / "elements.yaml").read_text(encoding="utf-8"))
    for name, el in elements.items():
        if el.get("codelist"):
            cl = REG.get(el["codelist"])  # every referenced list exists
            regex = re.compile(el["pattern"])
            assert all(regex.fullmatch(r.code) for r in cl.rows), name
    for cl in REG:
        assert "\\d" not in cl.pattern
        assert cl.validity in ("fiscal_year", "date")


def test_load_is_fast():
    load_registry()
    best = min(_timed(load_registry) for _ in range(3))
    assert best < 0.3, best


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# --------------------------------------------------------------------------------------------------
# lookups
# --------------------------------------------------------------------------------------------------


def test_baoding_valid_2024():
    hit = REG.lookup("mof_div", "130600000", year=2024)
    assert hit.valid and hit.reason_code == "ok" and hit.row.name_zh == "保定市" and hit.row.level == 2
    assert REG.get("mof_div").ancestors("130602000") == ["130600000", "130000000"]


def test_xingtai_abolished_county():
    mof = REG.get("mof_div")
    assert mof.lookup("130521000", year=2019).valid
    assert mof.lookup("130521000", year=2020).valid  # valid on at least one day of 2020
    assert mof.lookup("130521000", on=date(2020, 6, 4)).valid
    late = mof.lookup("130521000", on=date(2020, 6, 5))
    assert not late.valid and late.reason_code == "retired"
    hit = mof.lookup("130521000", year=2024)
    assert (hit.found, hit.valid, hit.reason_code, hit.severity) == (True, False, "retired", "error")
    assert "2020-06-04" in hit.reason_zh and "2020-06-04" in hit.reason_en
    new = mof.lookup("130505000", year=2019)
    assert new.reason_code == "not-yet-valid" and "2020-06-05" in new.reason_en
    assert mof.lookup("130505000", year=2020).valid


def test_renamed_district_names_by_year():
    mof = REG.get("mof_div")
    assert mof.lookup("130502000", year=2019).row.name_zh == "桥东区"
    assert mof.lookup("130502000", year=2024).row.name_zh == "襄都区"
    assert mof.lookup("130503000", on=date(2020, 6, 4)).row.name_zh == "桥西区"
    assert mof.lookup("130503000", on=date(2020, 6, 5)).row.name_zh == "信都区"
    assert mof.lookup("130503000", year=2020).row.name_zh == "信都区"  # the later row in the window
    assert [r.name_zh for r in mof.history("130502000")] == ["桥东区", "襄都区"]


def test_functional_class_renamed_in_2019():
    func = REG.get("exp_func")
    assert func.lookup("207", year=2018).row.name_zh == "文化体育与传媒支出"
    assert func.lookup("207", year=2019).row.name_zh == "文化旅游体育与传媒支出"
    assert func.lookup("203", year=2007).row.name_zh == "国防支出"  # stable, no history invented
    assert func.lookup("224", year=2018).reason_code == "not-yet-valid"
    assert func.lookup("224", year=2019).valid


def test_fiscal_year_validity_and_year_required():
    assert REG.lookup("gov_bgt_eco", "50201", year=2017).reason_code == "not-yet-valid"
    assert REG.lookup("gov_bgt_eco", "50201", year=2018).valid
    assert REG.lookup("rev_class", "10121", year=2017).reason_code == "not-yet-valid"
    assert REG.lookup("rev_class", "1010101", year=2024).valid
    with pytest.raises(JincaiError) as exc:
        REG.lookup("exp_func", "2010101")
    assert exc.value.code == "codelist-year-required"
    # a date on a fiscal-year list means its year
    assert REG.lookup("exp_func", "2010101", on=date(2024, 3, 1)).valid


def test_leaf_required():
    func = REG.get("exp_func")
    hit = func.lookup("201", year=2024)
    assert (hit.found, hit.valid, hit.reason_code) == (True, False, "not-leaf")
    assert "2010101" in func.leaf_codes(2024) and "201" not in func.leaf_codes(2024)
    assert {r.code for r in func.children("20101", 2024)} == {"2010101", "2010102", "2010103"}
    assert REG.get("mof_div").lookup("130000000", year=2024).valid  # mof_div does not require leaves


def test_unknown_and_bad_pattern():
    func = REG.get("exp_func")
    assert func.lookup("2889999", year=2024).reason_code == "unknown"  # class 288 does not exist
    # exp_func is a starter set (complete: false) and class 201 is valid: not judged (issue 8 item 7)
    assert func.lookup("2019999", year=2024).reason_code == "unverified"
    assert func.lookup("20101010", year=2024).reason_code == "bad-pattern"  # 8 digits: no such level
    assert func.lookup("3010101", year=2024).reason_code == "bad-pattern"  # wrong prefix
    assert func.lookup("２０１", year=2024).reason_code == "bad-pattern"  # full-width digits (C07)
    town = REG.get("town")
    assert town.lookup("130102999", year=2024).severity == "warning"  # open list
    assert func.lookup("2889999", year=2024).severity == "error"  # closed list
    assert func.lookup("2019999", year=2024).severity == "warning"  # closed but incomplete, parent valid


def test_local_extensions():
    func = REG.get("exp_func")
    ok = func.lookup("201010101", year=2024)
    assert (ok.found, ok.valid, ok.reason_code, ok.national_code) == (False, True, "ok", "2010101")
    assert ok.national_row.name_zh == "行政运行"
    assert func.lookup("2010101010101", year=2024).valid  # 13 characters
    bad = func.lookup("299010101", year=2024)
    assert (bad.valid, bad.reason_code, bad.national_code) == (False, "bad-extension", "2990101")
    assert func.ancestors("201010101") == ["2010101", "20101", "201"]
    acct = REG.get("gov_acct")
    assert acct.lookup("100101", year=2024).valid and acct.lookup("100101", year=2024).national_code == "1001"
    assert acct.lookup("999901", year=2024).reason_code == "bad-extension"
    assert acct.lookup("10010", year=2024).reason_code == "bad-pattern"


def test_valid_codes_cached_and_fast_path():
    func = REG.get("exp_func")
    first = func.valid_codes(2024)
    assert first is func.valid_codes(2024)
    assert "2010101" in first and "234" in first and "234" not in func.valid_codes(2019)
    assert func.is_valid("2010101", 2024) and func.is_valid("201010101", 2024) and not func.is_valid("201", 2024)
    mof = REG.get("mof_div")
    assert {"130521000", "130505000"} <= mof.valid_codes(2020)
    assert "130521000" not in mof.valid_codes(2021)


@settings(max_examples=200, deadline=None)
@given(code=st.text(alphabet="0123456789A２ \n", max_size=14), year=st.integers(2007, 2030))
def test_lookup_never_raises(code, year):
    for list_id in ("exp_func", "mof_div", "gov_acct", "fund_type"):
        hit = REG.lookup(list_id, code, year=year)
        assert hit.reason_code in REASON_CODES
        assert hit.valid == (hit.reason_code == "ok")


# --------------------------------------------------------------------------------------------------
# department → government mapping
# --------------------------------------------------------------------------------------------------


def test_heating_maps_to_office_expenses():
    assert REG.dep_to_gov("30208", 2024) == "50201"
    assert REG.dep_to_gov("30208", 2017) is None  # the government classification starts in 2018
    assert REG.dep_to_gov("39999", 2024) == "599"  # class-level only
    assert REG.dep_gov_consistent("30208", "50201", 2024) is True
    assert REG.dep_gov_consistent("30208", "50202", 2024) is False
    assert REG.dep_gov_consistent("39999", "59999", 2024) is True
    assert REG.dep_to_gov("31201", 2024) is None  # not mapped by the source


def test_mapping_is_many_to_one_per_year():
    seen: dict[tuple[str, int], str] = {}
    dep, gov = REG.get("dep_bgt_eco"), REG.get("gov_bgt_eco")
    for m in REG.dep_to_gov_rows:
        assert m.dep_code in dep and m.gov_code in gov
        for year in range(2018, 2031):
            if m.lo <= date(year, 12, 31).toordinal() and m.hi >= date(year, 1, 1).toordinal():
                assert (m.dep_code, year) not in seen
                seen[(m.dep_code, year)] = m.gov_code
    # many-to-one: 50201 collects several department codes
    assert sum(1 for m in REG.dep_to_gov_rows if m.gov_code == "50201") == 14


def test_mapping_conflict_is_rejected(tmp_codelists: Path):
    path = tmp_codelists / "dep_to_gov.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write("30208,50202,2020,,M,test\n")
    with pytest.raises(JincaiError) as exc:
        load_registry(tmp_codelists)
    assert exc.value.code == "codelist-mapping-conflict"
    assert exc.value.location.endswith("dep_to_gov.csv:106")


def test_malformed_codelist_csv_is_rejected_with_location(tmp_codelists: Path):
    path = tmp_codelists / "exp_func.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write("2019901,20199,3,测试,Test,,,V,test\n")  # parent 20199 does not exist
    with pytest.raises(JincaiError) as exc:
        load_registry(tmp_codelists)
    assert exc.value.code == "codelist-file-malformed"
    assert exc.value.location.endswith("exp_func.csv:46")


# --------------------------------------------------------------------------------------------------
# import of official yearly files
# --------------------------------------------------------------------------------------------------


def _exp_func_2025(reg) -> list[tuple[object, str]]:
    """The 2024 functional list, changed: 2012902 dropped, 2010102 renamed, three codes added."""
    rows: list[tuple[object, str]] = []
    for r in reg.get("exp_func").rows_valid(2024):
        if r.code == "2012902":
            continue
        name = "一般行政管理事务（调整）" if r.code == "2010102" else r.name_zh
        if r.code == "207":
            name = f"　{name} "  # indentation and a trailing space are not a renaming
        rows.append((int(r.code) if len(r.code) == 7 else r.code, name))  # Excel numbers for items
    rows += [("20103", "政府办公厅(室)及相关机构事务"), (2010301, "行政运行"), (2010150, "事业运行")]
    return rows


def _write_xlsx(path: Path, rows, header=("科目编码", "科目名称")) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025年支出功能分类"
    ws.append(["2025年政府收支分类科目 支出功能分类科目"])
    ws.append([])
    ws.append(list(header))
    ws.append([None, "一、一般公共预算支出"])  # a heading without a code: skipped
    for code, name in rows:
        ws.append([code, name])
    wb.save(path)
    return path


def test_import_xlsx_adds_renames_retires(tmp_codelists: Path, tmp_path: Path):
    reg = load_registry(tmp_codelists)
    before = digest(tmp_codelists)
    m_rows_2024 = {r.code for r in reg.get("exp_func").rows_valid(2024) if r.status == "M"}
    xlsx = _write_xlsx(tmp_path / "2025年支出功能分类.xlsx", _exp_func_2025(reg))

    result = runner.invoke(app, ["codes", "import", "exp_func", str(xlsx), "--year", "2025",
                                 "--codelists", str(tmp_codelists)])
    assert result.exit_code == 0, result.output
    assert "新增 added 3" in result.stdout and "更名 renamed 1" in result.stdout and "停用 retired 1" in result.stdout
    after = digest(tmp_codelists)
    assert {n for n in after if after[n] != before[n]} == {"exp_func.csv"}

    func = load_registry(tmp_codelists).get("exp_func")
    # retired
    assert func.lookup("2012902", year=2024).valid
    gone = func.lookup("2012902", year=2025)
    assert gone.reason_code == "retired" and gone.row.valid_to == "2024"
    # renamed: adjacent rows, new one verified from the official file
    assert func.lookup("2010102", year=2024).row.name_zh == "一般行政管理事务"
    new = func.lookup("2010102", year=2025).row
    assert (new.name_zh, new.valid_from, new.status) == ("一般行政管理事务（调整）", "2025", "V")
    assert "official file 2025年支出功能分类.xlsx imported" in new.source
    # added
    assert func.lookup("2010150", year=2024).reason_code == "not-yet-valid"
    assert func.lookup("2010150", year=2025).valid and func.lookup("2010301", year=2025).row.parent == "20103"
    assert func.lookup("20106", year=2025).valid  # continues
    # unchanged rows keep their provenance; unverified rows are confirmed from 2025 only
    assert func.lookup("2010101", year=2025).row.valid_from == ""
    assert func.lookup("207", year=2025).row.name_zh == "文化旅游体育与传媒支出"
    for code in m_rows_2024 - {"2012902"}:
        assert func.lookup(code, year=2024).row.status == "M", code
        assert func.lookup(code, year=2025).row.status == "V", code

    # importing the same file again changes nothing
    again = runner.invoke(app, ["codes", "import", "exp_func", str(xlsx), "--year", "2025",
                                "--codelists", str(tmp_codelists)])
    assert again.exit_code == 0 and "新增 added 0" in again.stdout and "更名 renamed 0" in again.stdout
    assert digest(tmp_codelists) == after


def test_import_gbk_csv(tmp_codelists: Path, tmp_path: Path):
    reg = load_registry(tmp_codelists)
    lines = ["部门预算支出经济分类科目（2025）", "编码,名称"]
    for r in reg.get("dep_bgt_eco").rows_valid(2025):
        if r.code == "30114":
            continue  # 医疗费 retired
        name = "国内差旅费" if r.code == "30211" else r.name_zh
        lines.append(f"{r.code},{name}")
    lines.append("30230,测试新增款")
    path = tmp_path / "dep_2025.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))

    official = read_official_file(path)
    assert official.encoding == "gb18030" and official.header_row == 2
    plan = plan_import(reg.get("dep_bgt_eco"), official.rows, 2025, file_name=path.name, imported_on=date(2025, 1, 2))
    assert plan.added == ["30230"] and plan.retired == ["30114"]
    assert plan.renamed == [("30211", "差旅费", "国内差旅费")]
    write_plan(plan, reg.get("dep_bgt_eco"))

    dep = load_registry(tmp_codelists).get("dep_bgt_eco")
    assert dep.lookup("30114", year=2025).reason_code == "retired"
    assert dep.lookup("30211", year=2025).row.name_zh == "国内差旅费"
    assert dep.lookup("30211", year=2024).row.name_zh == "差旅费"
    assert dep.lookup("30230", year=2025).row.source == "official file dep_2025.csv imported 2025-01-02"


def test_import_utf8_is_checked_over_the_whole_file(tmp_codelists: Path, tmp_path: Path):
    reg = load_registry(tmp_codelists)
    body = "code,name\n" + "".join(f"{r.code},x{r.code}\n" for r in reg.get("dep_bgt_eco").rows_valid(2025))
    # ASCII for the first ~2 KB, then one GBK-encoded name at the very end
    data = body.encode("ascii") + "39911,末尾的中文名称\n".encode("gbk")
    path = tmp_path / "late_gbk.csv"
    path.write_bytes(data)
    official = read_official_file(path)
    assert official.encoding == "gb18030"
    assert official.rows[-1].name_zh == "末尾的中文名称"
    utf8 = tmp_path / "bom.csv"
    utf8.write_bytes("\ufeff科目编码,科目名称\n301,工资福利支出\n".encode("utf-8"))
    assert read_official_file(utf8).encoding == "utf-8"


def test_import_dry_run_writes_nothing(tmp_codelists: Path, tmp_path: Path):
    reg = load_registry(tmp_codelists)
    xlsx = _write_xlsx(tmp_path / "f.xlsx", _exp_func_2025(reg))
    before = digest(tmp_codelists)
    result = runner.invoke(app, ["codes", "import", "exp_func", str(xlsx), "--year", "2025", "--dry-run",
                                 "--codelists", str(tmp_codelists)])
    assert result.exit_code == 0, result.output
    assert "新增 added 3" in result.stdout and "dry run" in result.stdout
    assert digest(tmp_codelists) == before


MALFORMED = [
    ("no-header", "foo,bar\n201,一般公共服务支出\n", "codelist-import-no-header", 1),
    ("bad-code", "科目编码,科目名称\n201,一般公共服务支出\n20A01,坏编码\n", "codelist-import-bad-code", 3),
    ("wrong-prefix", "code,name\n201,一般公共服务支出\n301,工资福利支出\n", "codelist-import-wrong-prefix", 3),
    ("duplicate", "编码,名称\n201,一般公共服务支出\n20101,人大事务\n201,重复\n", "codelist-import-duplicate-code", 4),
    ("parent-missing", "编码,名称\n201,一般公共服务支出\n2019901,无上级\n", "codelist-import-parent-missing", 3),
    ("bad-length", "编码,名称\n201,一般公共服务支出\n2010,四位\n", "codelist-import-bad-length", 3),
    ("missing-name", "编码,名称\n201,一般公共服务支出\n20101,\n", "codelist-import-missing-name", 3),
]


@pytest.mark.parametrize("label,content,code,line", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_import_malformed_file(tmp_codelists: Path, tmp_path: Path, label, content, code, line):
    path = tmp_path / f"{label}.csv"
    path.write_bytes(content.encode("gbk" if label == "duplicate" else "utf-8"))
    before = digest(tmp_codelists)
    result = runner.invoke(app, ["codes", "import", "exp_func", str(path), "--year", "2025",
                                 "--codelists", str(tmp_codelists)])
    assert result.exit_code == 2, result.output
    assert code in result.stderr
    assert f"{path.name}:{line}" in result.stderr
    assert "Traceback" not in result.output
    assert digest(tmp_codelists) == before

    with pytest.raises(JincaiError) as exc:
        reg = load_registry(tmp_codelists)
        plan_import(reg.get("exp_func"), read_official_file(path).rows, 2025, file_name=path.name)
    assert exc.value.code == code and exc.value.location == f"{path.name}:{line}"
    assert exc.value.message_zh and exc.value.message_en


def test_import_rejects_unsupported_lists_and_years(tmp_codelists: Path):
    reg = load_registry(tmp_codelists)
    rows = [ImportRow("130000000", "河北省", location="f:2")]
    with pytest.raises(JincaiError) as exc:
        plan_import(reg.get("mof_div"), rows, 2025)
    assert exc.value.code == "codelist-import-unsupported"
    with pytest.raises(JincaiError) as exc:
        plan_import(reg.get("exp_func"), [ImportRow("201", "一般公共服务支出", location="f:2")], 2006)
    assert exc.value.code == "codelist-import-bad-year"


def test_plan_import_is_pure(tmp_codelists: Path):
    reg = load_registry(tmp_codelists)
    func = reg.get("exp_func")
    rows_before = list(func.rows)
    items = [ImportRow(r.code, r.name_zh, location=f"mem:{i}") for i, r in enumerate(func.rows_valid(2026), 2)]
    plan = plan_import(func, items, 2026, file_name="mem", imported_on=date(2026, 1, 1))
    assert not plan.added and not plan.renamed and not plan.retired
    assert func.rows == rows_before
    assert isinstance(CodeList(func.meta, plan.rows), CodeList)


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------


def test_cli_lookup_exit_codes():
    ok = cli("codes", "lookup", "mof_div", "130600000", "--year", "2024")
    assert ok.exit_code == 0 and "保定市" in ok.stdout and "V" in ok.stdout
    retired = cli("codes", "lookup", "mof_div", "130521000", "--year", "2024")
    assert retired.exit_code == 1
    assert "retired" in retired.stdout and "已停用" in retired.stdout and "2020-06-04" in retired.stdout
    assert cli("codes", "lookup", "mof_div", "130521000", "--year", "2019").exit_code == 0
    assert cli("codes", "lookup", "mof_div", "130521000", "--date", "2020-06-05").exit_code == 1
    notleaf = cli("codes", "lookup", "exp_func", "201", "--year", "2024")
    assert notleaf.exit_code == 1 and "not-leaf" in notleaf.stdout
    ext = cli("codes", "lookup", "exp_func", "299010101", "--year", "2024")
    assert ext.exit_code == 1 and "bad-extension" in ext.stdout
    assert cli("codes", "lookup", "exp_func", "2010199", "--year", "2024").exit_code == 1


def test_cli_usage_errors_exit_2():
    unknown = cli("codes", "lookup", "nosuchlist", "1", "--year", "2024")
    assert unknown.exit_code == 2
    assert "codelist-unknown" in unknown.stderr and "exp_func" in unknown.stderr and "mof_div" in unknown.stderr
    assert cli("codes", "lookup", "exp_func", "2010101").exit_code == 2  # no year
    assert cli("codes", "lookup", "mof_div", "130600000", "--date", "2024-02-30").exit_code == 2
    assert cli("codes", "lookup", "exp_func", "2010101", "--year", "abc").exit_code == 2
    assert cli("codes", "show", "nosuchlist").exit_code == 2


def test_cli_lookup_json():
    result = cli("codes", "lookup", "mof_div", "130502000", "--year", "2019", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # exactly one JSON object
    assert data["valid"] is True and data["row"]["name_zh"] == "桥东区"
    assert [h["name_zh"] for h in data["history"]] == ["桥东区", "襄都区"]
    bad = cli("codes", "lookup", "mof_div", "130521000", "--year", "2024", "--json")
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert (data["valid"], data["reason_code"], data["severity"]) == (False, "retired", "error")
    err = cli("codes", "lookup", "nosuchlist", "1", "--year", "2024", "--json")
    assert err.exit_code == 2 and json.loads(err.stdout)["error"]["code"] == "codelist-unknown"


def test_cli_list_and_show():
    listed = cli("codes", "list")
    assert listed.exit_code == 0
    for list_id in ("mof_div", "exp_func", "dep_to_gov", "currency"):
        assert list_id in listed.stdout
    shown = cli("codes", "show", "exp_func", "--year", "2018")
    assert shown.exit_code == 0
    assert "文化体育与传媒支出" in shown.stdout and "文化旅游体育与传媒支出" not in shown.stdout
    assert "  20101 人大事务" in shown.stdout  # indented under its class
    everything = cli("codes", "show", "mof_div")
    assert everything.exit_code == 0 and "2020-06-04" in everything.stdout

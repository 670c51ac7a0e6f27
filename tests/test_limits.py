"""Resource limits: defaults, overrides, and files a profile names stay inside its folder."""

from __future__ import annotations

import os

import pytest

from jincai import limits
from jincai.errors import JincaiError


def test_every_limit_has_a_positive_default_and_a_code():
    for lim in limits.LIMITS.values():
        assert lim.default > 0
        err = limits.exceeded(lim.name, lim.default + 1, "here")
        assert err.code == "limit-" + lim.name.replace("_", "-")
        assert "JINCAI_LIMIT_" + lim.name.upper() in err.message_en


def test_environment_overrides_a_limit(monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_XLSX_CELLS", "10")
    assert limits.limit("xlsx_cells") == 10
    with pytest.raises(JincaiError) as e:
        limits.check("xlsx_cells", 11, "sheet1")
    assert e.value.location == "sheet1"
    monkeypatch.setenv("JINCAI_LIMIT_XLSX_CELLS", "ten")
    with pytest.raises(JincaiError) as e:
        limits.limit("xlsx_cells")
    assert e.value.code == "limit-invalid-setting"


def test_configure_refuses_an_unknown_limit():
    with pytest.raises(JincaiError):
        limits.configure(no_such_limit=1)


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../etc/passwd", "/proc/self/environ", "/dev/zero", "sub/../../x"])
def test_a_profile_file_outside_its_folder_is_refused_without_its_content(tmp_path, path):
    (tmp_path / "sub").mkdir()
    with pytest.raises(JincaiError) as e:
        limits.read_confined(tmp_path, path, "对照表", "crosswalk", "profile.yaml:3")
    assert e.value.code == "profile-file-outside"
    assert "root:" not in str(e.value)


def test_a_profile_file_must_be_regular_and_small(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(JincaiError) as e:
        limits.read_confined(tmp_path, "fifo", "对照表", "crosswalk")
    assert e.value.code == "profile-file-not-regular"
    (tmp_path / "big.csv").write_bytes(b"x" * 100)
    monkeypatch.setenv("JINCAI_LIMIT_PROFILE_FILE_BYTES", "50")
    with pytest.raises(JincaiError) as e:
        limits.read_confined(tmp_path, "big.csv", "对照表", "crosswalk")
    assert e.value.code == "limit-profile-file-bytes"
    (tmp_path / "ok.csv").write_bytes(b"a,b\n")
    assert limits.read_confined(tmp_path, "ok.csv", "对照表", "crosswalk") == b"a,b\n"
    with pytest.raises(JincaiError) as e:
        limits.read_confined(tmp_path, "missing.csv", "对照表", "crosswalk")
    assert e.value.code == "profile-file-missing"

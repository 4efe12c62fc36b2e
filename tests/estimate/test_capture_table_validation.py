"""CaptureTable validation: every rule names the file, the row and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from undercount.errors import DataQualityWarning, UserInputError
from undercount.model.capture_table import CaptureTable


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "captures.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "A,B,count\n1,0,4\n1,2,5\n0,1,3\n", ["'B'", "'2'"], id="not-0-or-1"
        ),
        *(
            pytest.param(
                f"A,B,count\n1,0,4\n1,1,{count}\n",
                ["'count'", "non-negative whole number"],
                id=f"count={count!r}",
            )
            for count in ["-1", "2.5", "", "many"]
        ),
    ],
)
def test_bad_cell_names_file_row_and_column(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UserInputError) as info:
        CaptureTable.read_csv(path)
    message = str(info.value)
    assert str(path) in message and "row 3" in message
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param(
            "A,B,count\n1,x,4\n1,y,5\n0,z,3\n",
            r"row 2, column 'B'.*also rows 3, 4",
            id="several-bad-rows-listed",
        ),
        pytest.param(
            "A,B,count\n1,0,4\n0,0,7\n",
            r"row 3: the all-zero pattern",
            id="all-zero-row",
        ),
        pytest.param(
            "A,count\n1,4\n",
            r"at least 2 list columns.*\['A'\]",
            id="fewer-than-two-lists",
        ),
        pytest.param(
            "A,A,count\n1,0,4\n",
            r"row 1: column name\(s\) \['A'\]",
            id="repeated-column-names",
        ),
        pytest.param(
            ",A,B,count\n1,1,0,4\n2,0,1,3\n",
            "row-number column",
            id="r-row-name-column-hint",
        ),
    ],
)
def test_unusable_file_is_refused_with_its_rule(
    tmp_path: Path, text: str, match: str
) -> None:
    with pytest.raises(UserInputError, match=match):
        CaptureTable.read_csv(_write(tmp_path, text))


def test_all_zero_row_with_zero_count_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, "A,B,count\n0,0,0\n1,0,4\n1,1,2\n")
    assert CaptureTable.read_csv(path).n_observed == 6


def test_duplicate_patterns_are_merged_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "A,B,count\n1,0,4\n1,0,5\n0,1,3\n")
    with pytest.warns(DataQualityWarning, match="1 pattern"):
        table = CaptureTable.read_csv(path)
    assert table.full_counts().tolist() == [0, 3, 9, 0]


def test_missing_or_ambiguous_count_column(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no count column"):
        CaptureTable.read_csv(_write(tmp_path, "A,B,n\n1,0,4\n"))
    with pytest.raises(UserInputError, match="several count columns"):
        CaptureTable.read_csv(_write(tmp_path, "A,B,count,freq\n1,0,4,4\n"))


def test_missing_strata_column_and_empty_table(tmp_path: Path) -> None:
    path = _write(tmp_path, "A,B,count\n1,0,4\n")
    with pytest.raises(UserInputError, match=r"strata column\(s\) \['region'\]"):
        CaptureTable.read_csv(path, strata=["region"])
    with pytest.raises(UserInputError, match="records nobody"):
        CaptureTable.read_csv(_write(tmp_path, "A,B,count\n1,0,0\n0,1,0\n"))
    with pytest.raises(UserInputError, match="file not found"):
        CaptureTable.read_csv(tmp_path / "absent.csv")


def test_r_count_column_names_and_strata(tmp_path: Path) -> None:
    path = _write(tmp_path, "A,B,sex,Freq\n1,0,F,4\n0,1,F,3\n1,1,M,2\n")
    table = CaptureTable.read_csv(path, strata=["sex"])
    assert table.lists == ("A", "B")
    assert {key: sub.n_observed for key, sub in table.by_stratum()} == {
        ("F",): 7,
        ("M",): 2,
    }


def test_from_records_validates_memberships() -> None:
    frame = pd.DataFrame({"A": [1, 0, "yes"], "B": [0, 1, 1]})
    with pytest.raises(UserInputError, match=r"row 4, column 'A'"):
        CaptureTable.from_records(frame, ["A", "B"])
    ok = CaptureTable.from_records(
        pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1]}), ["A", "B"]
    )
    assert ok.full_counts().tolist() == [0, 1, 1, 1]

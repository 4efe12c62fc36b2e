"""File readers of the gap and of grading: any bytes give a UserInputError, never a
traceback (audit finding, issue #7: binary files ended in UnicodeDecodeError)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from undercount.compare import Estimated, NamedVictims
from undercount.errors import UserInputError
from undercount.incidents import (
    GradingRules,
    read_acknowledgments,
    read_decisions,
    read_incidents,
)

READERS: dict[str, Callable[[Path], Any]] = {
    "estimate": Estimated.from_json,
    "clusters": NamedVictims.from_clusters_csv,
    "rules": GradingRules.from_toml,
    "decisions": read_decisions,
    "acknowledgments": read_acknowledgments,
    "incidents": lambda path: read_incidents(path, "src"),
}

#: Bytes that are UTF-8 text and near-valid JSON/TOML/CSV, plus arbitrary bytes.
_TEXTLIKE = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "estimate",
                        "lower",
                        "upper",
                        "level",
                        "strata",
                        "stratum",
                        "observed",
                        "method",
                        "reason",
                        "estimated",
                        "x",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=12,
    ).map(lambda v: json.dumps(v).encode("utf-8")),
)


@pytest.mark.parametrize("name", sorted(READERS))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=_TEXTLIKE)
def test_random_bytes_only_user_input_error(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.dat"
        path.write_bytes(data)
        try:
            READERS[name](path)
        except UserInputError as exc:
            assert "\n" not in str(exc).strip() or name == "acknowledgments"


@pytest.mark.parametrize("name", sorted(READERS))
def test_binary_file_names_file_and_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(b"kind,key_a\n\x00\xff\xfe\x86binary")
    with pytest.raises(UserInputError, match=r"upload\.bin"):
        READERS[name](path)


def test_non_utf8_rules_message_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b"min_sources_fair = 2\n# caf\xe9\n")
    with pytest.raises(UserInputError) as info:
        GradingRules.from_toml(path)
    text = str(info.value)
    assert "rules.toml" in text and "line 2" in text and "UTF-8" in text


def test_estimate_field_named(tmp_path: Path) -> None:
    path = tmp_path / "est.json"
    path.write_text(
        json.dumps({"estimate": "many", "lower": 1, "upper": 2, "level": 0.95})
    )
    with pytest.raises(UserInputError, match="'estimate' must be a number"):
        Estimated.from_json(path)
    path.write_text(
        json.dumps(
            {
                "estimate": 5,
                "lower": 1,
                "upper": 9,
                "level": 0.95,
                "strata": [
                    {
                        "stratum": {"month": "2017-03"},
                        "estimate": 3,
                        "lower": None,
                        "upper": 4,
                    }
                ],
            }
        )
    )
    with pytest.raises(UserInputError, match=r"strata\[0\]\.lower"):
        Estimated.from_json(path)


@pytest.mark.parametrize(
    "args",
    [
        ["gap", "--demo", "--estimate"],
        ["gap", "--demo", "--clusters"],
        ["gap", "--demo", "--rules"],
        ["incidents", "grade", "--demo", "--rules"],
    ],
)
def test_cli_binary_file_one_line(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "binary.dat"
    path.write_bytes(bytes(range(256)) * 4)
    done = subprocess.run(
        [sys.executable, "-m", "undercount", *args, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "UnicodeDecodeError" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "binary.dat" in lines[0] and "UTF-8" in lines[0]

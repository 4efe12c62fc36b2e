"""The ``link --threshold`` help names the default the linkage really uses."""

from __future__ import annotations

import os
import subprocess
import sys

from undercount.link import LinkageSettings


def test_threshold_help_states_the_settings_default() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "undercount", "link", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    default = LinkageSettings().threshold
    assert f"default {default:g}" in done.stdout

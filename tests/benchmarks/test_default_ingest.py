"""`python -m tests.benchmarks.default_ingest` prints figures (never asserted); here only
that a wrong variant list is refused before ten minutes of runs start."""

from __future__ import annotations

import pytest

from tests.benchmarks.default_ingest import main


def test_a_wrong_worker_list_is_refused_at_once(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--workers", "default,two"])
    assert stopped.value.code == 2
    assert "--workers 'default,two': give 'default' and/or whole numbers, e.g. default,1,2" in capsys.readouterr().err

"Run every notebook in nbs/ as a test, the way `nbdev-test` does, skipping cells flagged `slow`."
import os
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_nb

cfg = get_config(Path(__file__).parent)
nbs = sorted(p for p in cfg.nbs_path.glob('*.ipynb') if not p.name.startswith('_'))
# GENDL_TEST_FLAGS="slow" runs the cells flagged `slow` too
force = os.environ.get('GENDL_TEST_FLAGS', '').split()

@pytest.mark.parametrize('nb', nbs, ids=[p.stem for p in nbs])
def test_notebook(nb):
    ok, secs = run_nb(nb, skip_flags=cfg.tst_flags.split(), force_flags=force)
    assert ok, f"{nb.name} failed: see the traceback above"

"""The lesson maths loads no plotting or widget library: it runs, and is tested, without them."""
import pkgutil
import subprocess
import sys

import cnnlib.demos

MODULES = sorted(f"cnnlib.demos.{m.name}" for m in pkgutil.iter_modules(cnnlib.demos.__path__))


def test_importing_every_demo_loads_no_plotting_or_widgets():
    code = (f"import sys, {', '.join(MODULES)}; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'ipywidgets', 'IPython', 'tqdm'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert len(MODULES) >= 10
    assert out.strip() == "[]", f"importing {MODULES} loads {out.strip()}"

"""Run every benchmark in turn: `make bench` (add --quick for a short run)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in ("throughput.py", "scale.py", "pages.py", "downloads.py", "images.py"):
        subprocess.run([sys.executable, str(HERE / script), *sys.argv[1:]], check=True)

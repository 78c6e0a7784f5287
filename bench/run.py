"""Run every benchmark in turn: `make bench` (add --quick for a short run)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    runs = [
        ["throughput.py"],
        ["throughput.py", "--stack", "prod"],
        ["scale.py"],
        ["pages.py"],
        ["downloads.py"],
        ["images.py"],
    ]
    for script, *options in runs:
        subprocess.run([sys.executable, str(HERE / script), *options, *sys.argv[1:]], check=True)

"""Run every benchmark in turn: `make bench` (add --quick for a short run)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    runs = [
        # The uncached path (issue 23 item 4): clip page and list against the minimal view,
        # page parts warm and cold, on both stacks.
        ["throughput.py", "--miss"],
        ["throughput.py", "--miss", "--stack", "prod"],
        ["throughput.py"],
        ["throughput.py", "--stack", "prod"],
        ["scale.py"],
        ["pages.py"],
        ["downloads.py"],
        ["images.py"],
        ["convert.py"],
    ]
    for script, *options in runs:
        subprocess.run([sys.executable, str(HERE / script), *options, *sys.argv[1:]], check=True)

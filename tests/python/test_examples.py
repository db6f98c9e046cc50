"""Runs every Python example at a small size, as a user would (a fresh interpreter each), and
checks its own assertions (--check) or its output file."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(script, *args):
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_vqe_h2_reaches_ground_energy():
    out = run(EXAMPLES / "python" / "vqe_h2.py", "--check")
    assert "exact energy" in out


def test_qaoa_maxcut():
    run(EXAMPLES / "python" / "qaoa_maxcut.py", "--check", "--grid", "12", "--shots", "500")


@pytest.mark.parametrize("qubits,marked", [(3, 5), (4, 11)])
def test_grover(qubits, marked):
    run(EXAMPLES / "python" / "grover.py", "--check", "--qubits", str(qubits), "--marked",
        str(marked))


def test_param_shift_matches_finite_differences():
    out = run(EXAMPLES / "python" / "param_shift.py", "--check", "--qubits", "3")
    assert "finite differences" in out


def test_plot_counts_png(tmp_path):
    png = tmp_path / "counts.png"
    run(EXAMPLES / "plot_counts.py", "--output", str(png), "--shots", "200")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    png2 = tmp_path / "bell.png"
    run(EXAMPLES / "plot_counts.py", str(EXAMPLES / "bell.qasm"), "--output", str(png2))
    assert png2.stat().st_size > 1000

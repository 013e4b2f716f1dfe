"""`make lab` (issue 17): JupyterLab from the project's environment, on this machine only, opens
each chapter as a notebook (jupytext) and renders its Markdown (jupyterlab-myst)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT

ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)")
START_TIMEOUT = 120  # seconds; JupyterLab starts in about 10


@pytest.fixture(scope="module")
def lab():
    """`make lab` running: its port and token (read from what it prints), stopped afterwards."""
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # make and the server in a group of their own, stopped together
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    printed = []
    try:
        while True:
            try:
                printed.append(lines.get(timeout=START_TIMEOUT))
            except queue.Empty:
                pytest.fail("make lab printed no address:\n" + "".join(printed)[-2000:])
            if found := ADDRESS.search(printed[-1]):
                break
        yield found.group(1), found.group(2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def get(lab, path: str) -> bytes:
    """A page of the server; it may refuse connections for a moment after printing its address."""
    port, token = lab
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=60) as response:
                return response.read()
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.parametrize("chapter", ["sources", "convention"])
def test_make_lab_opens_a_chapter_as_a_notebook(lab, chapter):
    model = json.loads(get(lab, f"api/contents/chapters/{chapter}.md"))
    assert model["type"] == "notebook", model["type"]
    cells = model["content"]["cells"]
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"
    code = [c["source"] for c in cells if c["cell_type"] == "code"]
    assert any("hanoi_evidence" in source for source in code), code[:2]
    assert any(c["cell_type"] == "markdown" for c in cells)


def test_make_lab_loads_the_myst_and_jupytext_extensions(lab):
    page = get(lab, "lab").decode("utf-8")
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    names = {extension["name"] for extension in config["federated_extensions"]}
    assert {"jupyterlab-myst", "jupyterlab-jupytext"} <= names, names

"""`corroborator serve` starts a real server on localhost that answers the API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
import httpx

from tests.browser_support import free_port


def test_web_serve_binds_localhost_and_answers(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"CORROBORATOR_WEB_TOKEN": "t0ken"}
    cmd = [
        sys.executable,
        "-c",
        "from corroborator.cli import main; main()",
        "serve",
        "--db",
        str(tmp_path / "s.db"),
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.time() > deadline:
                    raise AssertionError(f"serve did not start: {proc.communicate()[0][-2000:]}") from None
                time.sleep(0.2)
        assert health["ok"] is True and health["articles"] == 0 and health["token_required"] is True
        denied = httpx.post(f"http://127.0.0.1:{port}/api/ingest", data={"text": "A text."})
        assert denied.status_code == 401 and denied.json()["error"]["code"] == "unauthorized"
        # A page whose own name was rebound to 127.0.0.1 sends its name as Host: refused.
        rebound = httpx.get(f"http://127.0.0.1:{port}/api/health", headers={"host": f"evil.example:{port}"})
        assert rebound.status_code == 400 and rebound.json()["error"]["code"] == "bad_request"
        local = httpx.get(f"http://127.0.0.1:{port}/api/health", headers={"host": f"localhost:{port}"})
        assert local.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)

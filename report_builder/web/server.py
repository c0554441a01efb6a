"""Start the page: check the options (safe by default), run uvicorn, open the browser, clean up at the end.

Only loopback (127.0.0.1, ::1, localhost) is served without a token: on any other address, anyone on the network
could read the figures, so `--token` is required and every request must carry it.
"""

from __future__ import annotations

import ipaddress
import secrets
import shutil
import tempfile
import threading
import webbrowser
from pathlib import Path

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.web.app import Settings, make_app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_options(host: str, token: str | None, data: Path | None) -> None:
    """Raises BadInput for a setting the server must not start with."""
    if not is_loopback(host) and not token:
        why = (f"监听 {host} 会让网络上的其他人也能打开此页面并看到数据：请加 --token 指定访问令牌"
               f"（例如 --token {secrets.token_urlsafe(16)}），或使用默认的 127.0.0.1")  # fmt: skip
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--host"), why=why)
    if token is not None and len(token) < 8:
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--token"), why="访问令牌至少应有 8 个字符")
    if data is not None and not data.is_dir():
        raise BadInput.of(IssueCode.BAD_OPTION, Location("--data"), why=f"找不到数据目录 {data}")


def serve(
    host: str, port: int, token: str | None, data: Path | None, browser: bool, allow_templates: bool
) -> None:
    """Run until interrupted; every session's files are removed when the server stops."""
    import uvicorn

    check_options(host, token, data)
    root = Path(tempfile.mkdtemp(prefix="report-builder-web-"))
    try:
        app = make_app(Settings(root, data.resolve() if data else None, token, allow_templates))
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
        print(f"报告生成页面：{address}　（按 Ctrl+C 停止，停止时删除所有上传和生成的文件）", flush=True)
        if browser:
            threading.Timer(1.0, webbrowser.open, args=(address,)).start()
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        shutil.rmtree(root, ignore_errors=True)

"""`serve` is safe by default: what an upload may not do, who may connect, and that nothing is left behind."""

from __future__ import annotations

import io
import socket
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from report_builder.web.app import Settings, make_app
from report_builder.web.sessions import IDLE_SECONDS, MAX_FILES, MAX_REQUEST, Sessions
from tests.conftest import SAMPLE

BIN = Path(sys.executable).parent


def zip_of(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def sample_zip() -> bytes:
    return zip_of({f"data/{p.name}": p.read_bytes() for p in SAMPLE.iterdir() if p.is_file()})


@pytest.fixture
def client(tmp_path: Path):
    root = tmp_path / "server"
    root.mkdir()
    with TestClient(make_app(Settings(root))) as client:
        client.get("/")
        yield client


def upload(client: TestClient, name: str, content: bytes):
    return client.post("/upload", files={"files": (name, content, "application/zip")})


def session_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "server").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("entries", "links", "said"),
    [
        ({"data/regions.csv": b"x", "../x": b"escaped"}, (), "“../x”指向解压目录之外"),
        ({"data/../../x": b"escaped"}, (), "指向解压目录之外"),
        ({"/etc/x": b"escaped"}, (), "“/etc/x”指向解压目录之外"),
        ({"C:/x": b"escaped"}, (), "指向解压目录之外"),
        ({"data/regions.csv": b"x"}, ("data/link",), "“data/link”是符号链接"),
    ],
)
def test_a_zip_reaching_outside_is_refused_whole(client, tmp_path, entries, links, said):
    response = upload(client, "data.zip", zip_of(entries, links))
    assert response.status_code == 400
    assert said in response.text and "整个压缩包未解压" in response.text
    assert [p.name for p in session_files(tmp_path)] == ["data.zip"]  # nothing was extracted
    assert not (tmp_path / "x").exists() and not (tmp_path / "server" / "x").exists()


def test_a_zip_bomb_is_refused_before_it_is_extracted(client, tmp_path):
    response = upload(client, "bomb.zip", zip_of({"data/regions.csv": b"0" * (200 * 2**20)}))
    assert response.status_code == 400
    assert (
        "压缩炸弹" in response.text and "data/regions.csv 解压后达 200 MB，超过上限 100 MB" in response.text
    )
    assert [p.name for p in session_files(tmp_path)] == ["bomb.zip"]


def test_uploads_are_limited_in_size_and_count(client):
    too_big = client.post("/upload", content=b"x", headers={"content-length": str(MAX_REQUEST + 1)})
    assert too_big.status_code == 400 and "超过上限" in too_big.text
    many = [("files", (f"t{i}.csv", b"a,b\n", "text/csv")) for i in range(MAX_FILES + 1)]
    assert "一次最多上传" in client.post("/upload", files=many).text
    other = client.post("/upload", files={"files": ("run.exe", b"MZ", "application/octet-stream")})
    assert other.status_code == 400 and "只接受" in other.text


def test_only_shipped_templates_run(client):
    assert "已读入" in upload(client, "sample.zip", sample_zip()).text
    form = {"period": "2020Q3", "region": "990123", "scope": "one", "template": "/tmp/evil"}
    response = client.post("/build", data=form)
    assert response.status_code == 400 and "只能使用自带的模板" in response.text
    assert "“notice”不可用" in client.post("/build", data={**form, "template": "notice"}).text


def test_errors_are_messages_not_tracebacks(client):
    response = client.post("/tables", data={"period": "2020Q3", "region": "990123"})
    assert "请先上传数据" in response.text and "Traceback" not in response.text
    upload(client, "sample.zip", sample_zip())
    response = client.post("/tables", data={"period": "2031Q1", "region": "990123"})
    assert response.status_code == 400 and "数据中没有示例县2031年一季度的数据" in response.text
    assert client.get("/jobs/nothing/files/0").status_code == 404
    assert "会话已结束" in TestClient(client.app).post("/tables", data={}).text  # no session cookie


def test_session_files_go_when_the_session_ends_and_when_the_server_stops(tmp_path):
    root = tmp_path / "server"
    root.mkdir()
    with TestClient(make_app(Settings(root))) as first:
        first.get("/")
        upload(first, "sample.zip", sample_zip())
        second = TestClient(first.app)  # another visitor of the same server
        second.get("/")
        upload(second, "sample.zip", sample_zip())
        [one, two] = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)
        assert (one / "data-1" / "解压" / "data" / "regions.csv").is_file()
        second.post("/end")
        assert one.exists() and not two.exists()
    assert not root.exists()


def test_an_idle_session_is_ended(tmp_path):
    ended = []
    sessions = Sessions(tmp_path, on_end=ended.append)
    idle, busy = sessions.new(), sessions.new()
    idle.touched -= IDLE_SECONDS + 1
    assert sessions.get(busy.id) is busy
    assert sessions.get(idle.id) is None and not idle.folder.exists() and busy.folder.exists()
    assert ended == [idle.id]  # the server forgets its jobs too


def test_a_token_is_required_on_every_request(tmp_path):
    with TestClient(make_app(Settings(tmp_path, token="s3cret-token"))) as client:
        assert client.get("/").status_code == 403
        assert client.get("/static/app.js").status_code == 403
        assert client.get("/", headers={"x-token": "wrong-token!"}).status_code == 403
        assert client.get("/?token=s3cret-token").status_code == 200  # sets the cookie
        assert client.get("/static/app.js").status_code == 200


def test_another_site_may_not_post_to_the_page(client):
    response = client.post("/end", headers={"origin": "http://evil.example"})
    assert response.status_code == 403


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_on_every_address_without_a_token_refuses_to_start():
    cmd = [BIN / "report-builder", "serve", "--host", "0.0.0.0", "--port", str(free_port()), "--no-browser"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "请加 --token 指定访问令牌" in result.stderr and "Traceback" not in result.stderr

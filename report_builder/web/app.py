"""The routes and pages of `report-builder serve`: one page, server-rendered, whose forms replace parts of it.

Every figure comes from the functions the CLI calls: load_inputs (validate), report.rows (indicators, check),
build_report (build), the batch runner (batch) and audit_file (audit). Anything the user can fix is shown as a
message; the page never shows a traceback.
"""

from __future__ import annotations

import hmac
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from report_builder.batch import LEVELS, Batch, regions_at
from report_builder.definitions import Comparator
from report_builder.issues import BadInput, Issue, Severity
from report_builder.load import Inputs, load_inputs
from report_builder.periods import Period
from report_builder.report.rows import indicator_rows, result_rows
from report_builder.report.scope import check_scope, default_region
from report_builder.report.template_folder import TEMPLATE_FILE, list_templates
from report_builder.targets.check import Status, check_targets
from report_builder.web.sessions import (
    DATA_SUFFIXES,
    MAX_FILE,
    MAX_FILES,
    MAX_REQUEST,
    REPORT_SUFFIXES,
    Session,
    Sessions,
    refused,
    unpack,
    upload_name,
)
from report_builder.web.work import Job, Jobs

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "rb_session"
TOKEN_COOKIE = "rb_token"
SCOPES = {"one": "只生成所选区划的报告", "township": "所选区划下每个乡镇各一份（批量）",
          "county": "所选区划下每个县各一份（批量）"}  # fmt: skip
PAGES = Environment(loader=FileSystemLoader(HERE / "pages"), autoescape=select_autoescape(["html"]))


@dataclass(frozen=True)
class Settings:
    root: Path  # the server's temporary folder: every session's files live under it
    data: Path | None = None  # --data: a folder the page may use without uploading it
    token: str | None = None  # --token: every request must carry it
    allow_templates: bool = False  # --allow-templates: templates in the uploaded data may run


def make_app(settings: Settings) -> Starlette:
    jobs = Jobs()
    sessions = Sessions(settings.root, on_end=jobs.forget)

    def session_of(request: Request) -> Session:
        session = sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            raise refused("会话", "会话已结束（文件已删除），请刷新页面重新开始")
        return session

    def job_of(request: Request) -> Job:
        job = jobs.get(session_of(request).id, request.path_params["job"])
        if job is None:
            raise HTTPException(404, "没有这项任务")
        return job

    async def index(request: Request) -> Response:
        session = sessions.get(request.cookies.get(SESSION_COOKIE)) or sessions.new()
        page = _page(
            "index.html", settings=settings, data=_data_view(session, settings) if session.inputs else None
        )
        page.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="strict")
        return page

    async def upload(request: Request) -> Response:
        session = session_of(request)
        async with _uploaded(request) as form:
            files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            if not files:
                raise refused("上传", "没有选择文件")
            folder = _fresh_folder(session, "data")
            saved = [await _save(f, folder, DATA_SUFFIXES) for f in files]
        archives = [p for p in saved if p.suffix.lower() == ".zip"]
        if archives and len(saved) > 1:
            raise refused(archives[0].name, "一次只上传一个 ZIP 压缩包，或者若干 CSV/XLSX 文件")
        data_dir = unpack(archives[0], folder / "解压") if archives else folder
        label = archives[0].name if archives else "、".join(p.name for p in saved)
        return await _load(session, data_dir, label)

    async def use_folder(request: Request) -> Response:
        session = session_of(request)
        if settings.data is None:
            raise refused("--data", "启动时没有指定数据目录")
        return await _load(session, settings.data, str(settings.data))

    async def _load(session: Session, data_dir: Path, label: str) -> Response:
        session.inputs, session.data_dir, session.label = None, data_dir, label
        try:
            session.inputs = await run_in_threadpool(load_inputs, data_dir)
        except BadInput as bad:
            return _page("_data.html", data=None, label=label, issues=_issue_rows(bad.report.issues))
        return _page("_data.html", data=_data_view(session, settings), label=label)

    async def tables(request: Request) -> Response:
        session = session_of(request)
        inputs, period, region = _choice(session, await request.form())
        return _page("_tables.html", **await run_in_threadpool(_tables, inputs, period, region))

    async def build(request: Request) -> Response:
        session = session_of(request)
        form = await request.form()
        inputs, period, region = _choice(session, form)
        template = _template(session, settings, str(form.get("template", "")))
        scope = str(form.get("scope", "one"))
        out = _fresh_folder(session, "job") / "报告"
        if scope == "one":
            job = jobs.build(session.id, inputs, template, period, region, out)
        elif scope in LEVELS:
            batch_inputs = await run_in_threadpool(load_inputs, session.data_dir, by_region=True)
            codes = regions_at(batch_inputs, LEVELS[scope], region)
            work = Batch(batch_inputs, template, period, out, force=True)
            job = jobs.batch(session.id, work, codes, session.data_dir)
        else:
            raise refused("生成范围", f"未知的生成范围“{scope}”")
        return _page("_job.html", job=job)

    async def audit(request: Request) -> Response:
        session = session_of(request)
        async with _uploaded(request) as form:
            report = form.get("report")
            if not isinstance(report, UploadFile) or not report.filename:
                raise refused("上传", "没有选择要核对的报告")
            path = await _save(report, _fresh_folder(session, "audit"), REPORT_SUFFIXES)
            against = None
            if form.get("against") and session.inputs is not None:
                inputs, period, region = _choice(session, form)
                against = (inputs, region, period)
        return _page("_job.html", job=jobs.audit(session.id, path, against))

    async def job_status(request: Request) -> Response:
        return _page("_job.html", job=job_of(request))

    async def download(request: Request) -> Response:
        path = _listed(job_of(request).files, request.path_params["n"])
        return FileResponse(path, filename=path.name)

    async def page_image(request: Request) -> Response:
        return FileResponse(_listed(job_of(request).pages, request.path_params["n"]), media_type="image/png")

    async def end(request: Request) -> Response:
        sessions.end(request.cookies.get(SESSION_COOKIE) or "")
        page = RedirectResponse("/", status_code=303)
        page.delete_cookie(SESSION_COOKIE)
        return page

    async def problem(request: Request, exc: Exception) -> Response:
        """Every failure is a message in the page's words; a bug's traceback goes to the server's log only."""
        if isinstance(exc, BadInput):
            return _page("_message.html", issues=_issue_rows(exc.report.issues), status_code=400)
        if isinstance(exc, HTTPException):
            return _page("_message.html", text=exc.detail, status_code=exc.status_code)
        return _page(
            "_message.html", text=f"内部错误（{type(exc).__name__}），详情已写入服务器日志。", status_code=500
        )

    routes = [
        Route("/", index),
        Route("/upload", upload, methods=["POST"]),
        Route("/use-folder", use_folder, methods=["POST"]),
        Route("/tables", tables, methods=["POST"]),
        Route("/build", build, methods=["POST"]),
        Route("/audit", audit, methods=["POST"]),
        Route("/jobs/{job}", job_status),
        Route("/jobs/{job}/files/{n:int}", download),
        Route("/jobs/{job}/pages/{n:int}", page_image),
        Route("/end", end, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        jobs.close()
        sessions.close()

    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=settings.token)],
        exception_handlers={Exception: problem, HTTPException: problem, BadInput: problem},
        lifespan=lifespan,
    )


class Guard(BaseHTTPMiddleware):
    """With --token, every request carries it (the `token` query parameter once, then a cookie, or the
    X-Token header). Always: a request sent by another site's page (its Origin is not this server) is refused."""

    def __init__(self, app, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            return _page("_message.html", text="拒绝来自其他网页的请求。", status_code=403)
        if self.token is None:
            return await call_next(request)
        given = (
            request.query_params.get("token")
            or request.headers.get("x-token")
            or request.cookies.get(TOKEN_COOKIE)
        )
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            return _page(
                "_message.html", text="需要访问令牌：请使用启动时给出的带 token 的地址。", status_code=403
            )
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        return response


def _page(name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(PAGES.get_template(name).render(**context), status_code=status_code)


@asynccontextmanager
async def _uploaded(request: Request) -> AsyncIterator[FormData]:
    """An upload within the limits: its size said beforehand and at most MAX_REQUEST, at most MAX_FILES files;
    its temporary files closed after use."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise refused("上传", "请求没有说明大小，未接收")
    if int(length) > MAX_REQUEST:
        raise refused("上传", f"一次上传共 {int(length) // 2**20} MB，超过上限 {MAX_REQUEST // 2**20} MB")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=20)
    except HTTPException as exc:  # Starlette's words for too many files or fields
        raise refused("上传", f"一次最多上传 {MAX_FILES} 个文件（{exc.detail}）") from None
    try:
        yield form
    finally:
        await form.close()


async def _save(upload: UploadFile, folder: Path, suffixes: tuple[str, ...]) -> Path:
    name = upload_name(upload.filename or "", suffixes)
    if upload.size is not None and upload.size > MAX_FILE:
        raise refused(name, f"文件大于上限 {MAX_FILE // 2**20} MB")
    path = folder / name
    with path.open("xb") as out:
        shutil.copyfileobj(upload.file, out)
    return path


def _fresh_folder(session: Session, kind: str) -> Path:
    """A new folder for one upload or job; a new upload of data replaces the one before."""
    session.uploads += 1
    if kind == "data":
        for old in session.folder.glob("data-*"):
            shutil.rmtree(old, ignore_errors=True)
    folder = session.folder / f"{kind}-{session.uploads}"
    folder.mkdir()
    return folder


def _listed(paths: list[Path], n: int) -> Path:
    if not 0 <= n < len(paths):
        raise HTTPException(404, "没有这个文件")
    return paths[n]


def _issue_rows(issues: tuple[Issue, ...]) -> list[dict[str, str]]:
    """The validation table: 文件, 工作表, 单元格, 问题 — the cell named as the CLI names it. Errors first."""
    ordered = sorted(issues, key=lambda i: i.severity is not Severity.ERROR)
    return [{"severity": str(i.severity), "file": i.location.file, "sheet": i.location.sheet or "",
             "cell": i.location.cell, "message": i.message} for i in ordered]  # fmt: skip


def _data_view(session: Session, settings: Settings) -> dict[str, object]:
    """What the choose form lists: the periods that exist (latest first), the regions of the tree."""
    inputs = session.inputs
    assert inputs is not None
    data = inputs.dataset
    try:
        chosen = default_region(inputs)
    except BadInput:
        chosen = data.regions.roots()[0]
    codes = _tree(inputs)
    top = min((data.regions[c].level for c in codes), default=0)
    regions = [(c, "　" * (data.regions[c].level - top) + data.regions[c].name, c == chosen) for c in codes]
    periods = list(reversed(data.periods()))
    return {
        "summary": f"数据可用：{len(data.regions.regions)} 个区划，{len(data.facts)} 条记录，"
        f"统计期 {periods[-1]}—{periods[0]}。"
        if periods
        else "数据中没有统计期。",
        "issues": _issue_rows(inputs.warnings),
        "periods": [(str(p), f"{p}（{p.label}）") for p in periods],
        "regions": regions,
        "templates": [(key, text) for key, text in _templates(session, settings).items()],
        "scopes": SCOPES,
        "label": session.label,
    }


def _tree(inputs: Inputs) -> list[str]:
    data = inputs.dataset
    return [c for root in sorted(data.regions.roots()) for c in (root, *data.regions.descendants(root))]


def _templates(session: Session, settings: Settings) -> dict[str, str]:
    """Shipped templates; with --allow-templates also the template folders inside the uploaded data."""
    shown = {t.name: t.description.split("：")[0] or t.name for t in list_templates() if t.kind == "report"}
    if settings.allow_templates and session.data_dir is not None:
        for spec in sorted(session.data_dir.rglob(TEMPLATE_FILE)):
            shown[str(spec.parent)] = f"上传的模板：{spec.parent.name}"
    return shown


def _template(session: Session, settings: Settings, chosen: str) -> str:
    if chosen not in _templates(session, settings):
        why = "只能使用自带的模板（启动时加 --allow-templates 才能使用上传的模板）"
        raise refused("模板", f"“{chosen}”不可用：{why}")
    return chosen


def _choice(session: Session, form: FormData) -> tuple[Inputs, Period, str]:
    """The loaded inputs with the period and region the form chose, checked as the CLI checks them."""
    inputs = session.inputs
    if inputs is None:
        raise refused("数据", "请先上传数据")
    try:
        period = Period.parse(str(form.get("period", "")))
    except ValueError as exc:
        raise refused("统计期", str(exc)) from None
    region = str(form.get("region", ""))
    check_scope(inputs, region, period)
    return inputs, period, region


def _tables(inputs: Inputs, period: Period, region: str) -> dict[str, object]:
    """The region and its children: each indicator's value (as `indicators` prints it) and the target check."""
    data = inputs.dataset
    codes = [region, *data.regions.children_of(region)]
    rows = list(indicator_rows(inputs, period, codes, changes=False))
    names = {r["indicator"]: f"{r['name']}（{r['unit']}）" for r in rows}
    grid = {
        code: {r["indicator"]: r["value"] or "—" for r in rows if r["region_code"] == code} for code in codes
    }
    results = check_targets(data, inputs.targets, period, within=set(codes))
    checks = [{**r, "sign": Comparator.parse(r["comparator"]).sign} for r in result_rows(data, results)]
    checks.sort(key=lambda r: r["status"] == Status.MET)  # misses first
    return {
        "title": f"{data.regions[region].name}{period.label}",
        "names": names,
        "grid": [(code, data.regions[code].name, grid[code]) for code in codes],
        "checks": checks,
        "missed": sum(r["status"] != Status.MET for r in checks),
    }

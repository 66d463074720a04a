"""``create_app(settings)``: the workbench. Every page has a JSON twin; one error shape for JSON."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParameter
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from markupsafe import Markup
from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from propscope.errors import InputError, PropscopeError, StoreError
from propscope.ingest.decoding import DEFAULT_MAX_BYTES
from propscope.ingest.sources import HTML_SUFFIXES, RECORD_SUFFIXES, TEXT_SUFFIXES
from propscope.render.charts import SCORE_MAXIMUM, bar_chart, line_chart
from propscope.render.html import highlight_document, render_html
from propscope.render.labels import percent, score_meaning, voice_label
from propscope.store.database import Store, open_for_reading
from propscope.store.repository import (
    SORT_COLUMNS,
    SPAN_EXPORT_COLUMNS,
    ArticleFilter,
    Period,
    check_day,
    export_spans,
    list_articles,
)
from propscope.techniques import BY_ID
from propscope.web import service

#: the largest whole number SQLite stores (larger than any id PostgreSQL's columns hold); a
#: larger id cannot be looked up at all
LARGEST_ID = 2**63 - 1
ArticleId = Annotated[int, PathParameter(ge=1, le=LARGEST_ID)]
#: pages far beyond any corpus; the row offset of a larger one would overflow the database's integers
PageNumber = Annotated[int, Query(ge=1, le=10**12)]
#: how many articles an upload added, or found already stored: said once on the page it leads to
ArticleCount = Annotated[int | None, Query(ge=0)]
#: the query parameters that report what the analyse form did, which the corpus page's links leave behind
SUBMISSION_NOTICES = ("added", "already_stored")
#: every kind of file the analyse form reads, text first, for the file chooser and its label
UPLOAD_SUFFIXES = [
    suffix for kind in (TEXT_SUFFIXES, HTML_SUFFIXES, RECORD_SUFFIXES) for suffix in sorted(kind) if suffix
]


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None
    host: str = "127.0.0.1"
    read_only: bool = False
    token: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BYTES + 64 * 1024


class BodyLimit:
    """ASGI middleware: refuses a request body over ``limit`` bytes. A declared Content-Length is
    checked up front; a body without one (chunked) is read up to the limit before the app sees it."""

    def __init__(self, app, limit: int, refuse: Callable[[Request], Response]) -> None:
        self.app = app
        self.limit = limit
        self.refuse = refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        declared = request.headers.get("content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.limit:
                await self.refuse(request)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self.refuse(request)(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


def _spreadsheet_safe(cell: object) -> object:
    """A text cell that a spreadsheet would run as a formula (a title "=HYPERLINK(…)") with a
    quote before it, so that it is shown as text."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _score(name: str, value: str | None) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,3}", value) or int(value) > 100:
        raise InputError(f"{name} must be a whole number from 0 to 100, not {value!r}")
    return int(value)


def _share(name: str, value: str | None) -> float | None:
    """A number from 0 to 1 given under ``name``; an empty form field means none."""
    if not value:
        return None
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise InputError(f"{name} must be a number from 0 to 1, not {value!r}")
    return share


def article_filter(
    q: str | None = None,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    technique: str | None = None,
    min_score: str | None = None,
    max_score: str | None = None,
    sort: str = "-added",
) -> ArticleFilter:
    """The corpus filter from query parameters; an HTML form sends empty fields as empty strings."""
    return ArticleFilter(
        query=q or None,
        outlet=outlet or None,
        date_from=date_from or None,
        date_to=date_to or None,
        technique=technique or None,
        min_score=_score("min_score", min_score),
        max_score=_score("max_score", max_score),
        sort=sort or "-added",
    )


def submission_address(stored: list[service.StoredArticle]) -> str:
    """Where the analyse form leads: the one article, or the corpus with how many were added; either
    says when what was sent was already stored, since nothing new was analysed then."""
    already_stored = sum(not article.added for article in stored)
    notice = {"already_stored": already_stored} if already_stored else {}
    if len(stored) == 1:
        return f"/articles/{stored[0].id}" + (f"?{urlencode(notice)}" if notice else "")
    return "/articles?" + urlencode({"added": len(stored) - already_stored} | notice)


def _problem(problem: dict) -> str:
    """One of a request's problems in words: where it is, and what is wrong."""
    if problem["type"] == "json_invalid":
        # FastAPI names the character offset where parsing stopped, which says little alone
        return f"the body is not valid JSON (it stops making sense at character {problem['loc'][-1]})"
    return f"{'.'.join(str(part) for part in problem['loc'][1:]) or 'request'}: {problem['msg']}"


class AnalyzeRequest(BaseModel):
    # a misspelt field is refused rather than dropped without a word
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    # "source", as the article JSON and the JSONL records call it, or "outlet"
    outlet: str | None = Field(default=None, validation_alias=AliasChoices("outlet", "source"))
    date: str | None = None


class ErrorBody(BaseModel):
    """The one shape of every JSON error (pages answer an HTML page instead)."""

    ok: bool = False
    error: str
    status: int


def create_app(settings: Settings) -> FastAPIOffline:
    if not is_loopback(settings.host) and not settings.read_only and not settings.token:
        raise InputError("serving beyond this machine needs --token (or --read-only): writes would be open to anyone")
    # a read-only workbench on a mistyped database would serve an empty corpus
    store = open_for_reading(settings.db_url) if settings.read_only else Store(settings.db_url)
    templates = Jinja2Templates(directory=str(resources.files("propscope.web") / "templates"))
    templates.env.globals["techniques"] = BY_ID
    # the same voice label as the terminal and the HTML report (the target's confidence is
    # set apart in grey here, so the page writes that label itself)
    templates.env.globals["voice_label"] = voice_label
    templates.env.globals["percent"] = percent
    templates.env.globals["score_meaning"] = score_meaning
    # the API docs at /docs load Swagger UI from the installed package, not a CDN
    app = FastAPIOffline(
        title="propscope",
        description="Propaganda techniques in news articles, with offsets you can trust.",
        # documented once for every route, which also keeps FastAPI from documenting its own 422
        responses={"4XX": {"model": ErrorBody, "description": "The request was refused; the error says why."}},
    )
    app.state.store = store

    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        refuse=lambda request: _error(request, 413, f"request body over {settings.max_body_bytes:,} bytes"),
    )

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
            return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return _error(request, 400, str(error))

    @app.exception_handler(service.NotFound)
    async def not_found(request: Request, error: service.NotFound):
        return _error(request, 404, str(error))

    @app.exception_handler(service.Busy)
    async def busy(request: Request, error: service.Busy):
        response = _error(request, 503, str(error))
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError):
        return _error(request, 503, str(error))

    @app.exception_handler(PropscopeError)
    async def other_error(request: Request, error: PropscopeError):
        return _error(request, 500, str(error))

    # a value out of range is a bad request like any other the app refuses, not FastAPI's own 422
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        problems = "; ".join(_problem(problem) for problem in error.errors())
        return _error(request, 400, problems)

    # Starlette's class also covers the errors FastAPI raises itself (an unreadable body, an unknown path)
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        response = _error(request, error.status_code, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            # every method the address takes: Starlette names only those of the first route for it
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    def allowed_methods(request: Request) -> list[str]:
        matching = [route for route in app.router.routes if route.matches(request.scope)[0] == Match.PARTIAL]
        return sorted({method for route in matching for method in getattr(route, "methods", None) or ()})

    @app.middleware("http")
    async def same_origin_writes(request: Request, call_next):
        # a page on another site must not make a visitor's browser write here (CSRF): browsers
        # send Origin with every cross-site POST ("null" from sandboxed pages), and scripts or curl send none
        origin = request.headers.get("origin")
        cross_site = origin is not None and urlsplit(origin).netloc != request.headers.get("host")
        if request.method not in ("GET", "HEAD", "OPTIONS") and cross_site:
            return _error(request, 403, "writes from another site's page are refused")
        return await call_next(request)

    def require_write(authorization: str | None) -> None:
        if settings.read_only:
            raise HTTPException(403, "this workbench is read-only")
        if settings.token and authorization != f"Bearer {settings.token}":
            raise HTTPException(401, "a valid token is needed to write (Authorization: Bearer TOKEN)")

    @app.get("/", response_class=HTMLResponse)
    def analyse_form(request: Request):
        context = {
            "read_only": settings.read_only,
            "needs_token": bool(settings.token),
            "upload_suffixes": UPLOAD_SUFFIXES,
        }
        return templates.TemplateResponse(request, "analyse.html", context)

    @app.get("/analyze")
    def analyse_form_elsewhere() -> RedirectResponse:
        # the form posts here, so a reload or a bookmark of an error page asks for this address
        return RedirectResponse("/", status_code=303)

    @app.post("/analyze")
    def analyse_submit(
        text: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
        files: Annotated[list[UploadFile] | None, File()] = None,
        outlet: Annotated[str, Form()] = "",
        date: Annotated[str, Form()] = "",
        token: Annotated[str, Form()] = "",
    ):
        require_write(f"Bearer {token}" if token else None)
        # a plain def runs in the thread pool, so a long analysis does not hold up other requests;
        # a browser sends an empty file field, without a name, when no file was chosen
        uploads = [(f.filename, f.file.read()) for f in files or [] if f.filename]
        stored = service.analyse_submission(store, text=text, url=url, uploads=uploads, outlet=outlet, date=date)
        return RedirectResponse(submission_address(stored), status_code=303)

    @app.post("/api/analyze")
    def api_analyse(body: AnalyzeRequest, authorization: Annotated[str | None, Header()] = None) -> dict:
        require_write(authorization)
        article_id = service.analyse_text(store, text=body.text, outlet=body.outlet, date=body.date)
        return service.article_page(store, article_id)

    @app.post("/api/articles/{article_id}/reanalyze")
    def api_reanalyse(article_id: ArticleId, authorization: Annotated[str | None, Header()] = None) -> dict:
        require_write(authorization)
        return service.article_page(store, service.reanalyse_article(store, article_id))

    @app.post("/articles/{article_id}/reanalyze")
    def reanalyse_submit(article_id: ArticleId, token: Annotated[str, Form()] = ""):
        require_write(f"Bearer {token}" if token else None)
        return RedirectResponse(f"/articles/{service.reanalyse_article(store, article_id)}", status_code=303)

    @app.get("/articles/{article_id}.json")
    @app.get("/api/articles/{article_id}")
    def article_json(article_id: ArticleId) -> dict:
        return service.article_page(store, article_id)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_html(request: Request, article_id: ArticleId, already_stored: bool = False):
        page = service.article_page(store, article_id)
        context = {
            "page": page,
            "highlighted": Markup(highlight_document(page)),
            "already_stored": already_stored,
            "outdated": service.outdated(page),
            "read_only": settings.read_only,
            "needs_token": bool(settings.token),
        }
        return templates.TemplateResponse(request, "article.html", context)

    @app.get("/articles/{article_id}/report.html")
    def article_report(article_id: ArticleId) -> Response:
        return Response(
            render_html(service.article_page(store, article_id)),
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="propscope-article-{article_id}.html"'},
        )

    @app.get("/articles.json")
    @app.get("/api/articles")
    def articles_json(where: Annotated[ArticleFilter, Depends(article_filter)], page: PageNumber = 1) -> dict:
        return service.articles_page(store, where=where, page=page)

    @app.get("/articles", response_class=HTMLResponse)
    def articles_html(
        request: Request,
        where: Annotated[ArticleFilter, Depends(article_filter)],
        page: PageNumber = 1,
        added: ArticleCount = None,
        already_stored: ArticleCount = None,
    ):
        data = service.articles_page(store, where=where, page=page)
        params = {k: v for k, v in request.query_params.items() if k not in ("page", *SUBMISSION_NOTICES) and v}
        links = {
            "json": "/articles.json?" + urlencode(params | {"page": page}),
            # the exports keep the filters (not the page: they hold every article that passes)
            "spans_csv": "/api/export/spans.csv?" + urlencode(params),
            "articles_jsonl": "/api/export/articles.jsonl?" + urlencode(params),
            "previous": "?" + urlencode(params | {"page": page - 1}) if page > 1 else None,
            "next": "?" + urlencode(params | {"page": page + 1}) if page < data["pages"] else None,
            "sort": {
                key: "?" + urlencode(params | {"sort": key if where.sort == "-" + key else "-" + key})
                for key in SORT_COLUMNS
            },
        }
        context = {
            "page": data,
            "links": links,
            "outlets": service.outlet_names(store),
            "added": added,
            "already_stored": already_stored,
        }
        return templates.TemplateResponse(request, "articles.html", context)

    @app.get("/dashboard.json")
    @app.get("/api/stats")
    def dashboard_json(
        a: str | None = None,
        b: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        min_target_confidence: str | None = None,
        min_speaker_confidence: str | None = None,
    ) -> dict:
        period = Period(since=check_day("date_from", date_from), until=check_day("date_to", date_to))
        return service.dashboard_page(
            store,
            first=a or None,
            second=b or None,
            period=period,
            min_target_confidence=_share("min_target_confidence", min_target_confidence),
            min_speaker_confidence=_share("min_speaker_confidence", min_speaker_confidence),
        )

    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard_html(
        request: Request,
        a: str | None = None,
        b: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        min_target_confidence: str | None = None,
        min_speaker_confidence: str | None = None,
    ):
        data = dashboard_json(a, b, date_from, date_to, min_target_confidence, min_speaker_confidence)
        charts = [
            # each chart ranks the outlets by its own measure
            bar_chart(
                sorted(((o["key"], o["mean_score"]) for o in data["outlets"]), key=lambda kv: -kv[1]),
                "Mean propaganda score per outlet (0-100)",
                maximum=SCORE_MAXIMUM,
            ),
            bar_chart(
                sorted(((o["key"], o["mean_author_score"]) for o in data["outlets"]), key=lambda kv: -kv[1]),
                "Mean score, author's own voice only (0-100)",
                maximum=SCORE_MAXIMUM,
            ),
            line_chart(
                {
                    name: [(p["month"], p["mean_score"]) for p in points]
                    for name, points in data["score_by_month"].items()
                },
                "Mean score per month",
            ),
        ]
        charts += [
            bar_chart(
                [(BY_ID[t].name, n) for t, n in sorted(o["techniques"].items(), key=lambda kv: -kv[1])],
                f"Techniques used by {o['key']}",
            )
            for o in data["compare"]
        ]
        return templates.TemplateResponse(
            request, "dashboard.html", {"page": data, "charts": [Markup(c) for c in charts], "a": a, "b": b}
        )

    @app.get("/api/export/spans.csv")
    def export_spans_csv(where: Annotated[ArticleFilter, Depends(article_filter)]) -> Response:
        with store.transaction() as session:
            rows = export_spans(session=session, where=where)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(SPAN_EXPORT_COLUMNS)
        writer.writerows([_spreadsheet_safe(cell) for cell in row] for row in rows)
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="propscope-spans.csv"'},
        )

    @app.get("/api/export/articles.jsonl")
    def export_articles_jsonl(where: Annotated[ArticleFilter, Depends(article_filter)]) -> Response:
        with store.transaction() as session:
            rows = list_articles(session=session, where=where)
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        return Response(
            lines,
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="propscope-articles.jsonl"'},
        )

    @app.get("/echo.json")
    def echo_json(window: str = "7d", min_outlets: Annotated[int, Query(ge=2)] = 2) -> dict:
        return service.echo_page(store, window=window, min_outlets=min_outlets)

    @app.get("/echo", response_class=HTMLResponse)
    def echo_html(request: Request, window: str = "7d", min_outlets: Annotated[int, Query(ge=2)] = 2):
        return templates.TemplateResponse(
            request, "echo.html", {"page": service.echo_page(store, window=window, min_outlets=min_outlets)}
        )

    @app.get("/techniques.json")
    def techniques_json() -> dict:
        return service.techniques_page()

    @app.get("/techniques", response_class=HTMLResponse)
    def techniques_html(request: Request):
        return templates.TemplateResponse(request, "techniques.html", service.techniques_page())

    return app

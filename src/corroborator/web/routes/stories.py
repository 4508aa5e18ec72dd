"""The stories list (``/``) and its JSON twin (``/api/stories``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from corroborator.api import StoryFilter, list_stories, store_summary
from corroborator.web.charts import size_bar, source_colours, sources_over_time
from corroborator.web.context import PAGE_SIZE, WebContext, context, next_url, story_filter
from corroborator.web.errors import ApiError, responses
from corroborator.web.pages import page

router = APIRouter()


def _listing(ctx: WebContext, flt: StoryFilter, request: Request) -> dict[str, Any]:
    items, total = list_stories(ctx.store, flt, ctx.settings)
    limit = flt.limit or PAGE_SIZE
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": flt.offset,
        "next": next_url(request, flt.offset, limit, len(items), total),
    }


@router.get(
    "/api/stories",
    tags=["stories"],
    responses=responses(400, 422),
    summary="Stories, newest activity first (paginated)",
)
def api_stories(
    request: Request,
    q: str | None = Query(None, description="words in a story or article title"),
    since: str | None = Query(None, description="YYYY-MM-DD: stories active on or after this day"),
    until: str | None = Query(None, description="YYYY-MM-DD: stories active on or before this day"),
    source: str | None = Query(None, description="stories with an article from this outlet"),
    language: str | None = Query(None, description="stories with an article in this language (ISO 639-1, e.g. es)"),
    min_size: int | None = Query(None, ge=1, description="stories with at least this many articles"),
    disputed: bool = Query(False, description="only stories whose comparison found a contradiction"),
    limit: int = Query(PAGE_SIZE, ge=1, le=200),
    offset: int = Query(0, ge=0),
    ctx: WebContext = Depends(context),
) -> dict[str, Any]:
    return _listing(ctx, story_filter(q, since, until, source, min_size, disputed, limit, offset, language), request)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def stories_page(
    request: Request,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    language: str | None = None,
    min_size: str | None = None,  # a text field: an empty form field arrives as ""
    disputed: bool = False,
    offset: int = Query(0, ge=0),
    ctx: WebContext = Depends(context),
) -> str:
    size: int | None = None
    if min_size:
        if not min_size.isdigit() or int(min_size) < 1:
            raise ApiError(400, f"min. articles: {min_size!r} is not a whole number of 1 or more")
        size = int(min_size)
    data = _listing(ctx, story_filter(q, since, until, source, size, disputed, PAGE_SIZE, offset, language), request)
    arts = [a for s in data["items"] for a in s["articles"]]
    colours = source_colours([a["source"] for a in arts])
    points = [(a["source"], datetime.fromisoformat(a["published"])) for a in arts if a["published"]]
    biggest = max((s["size"] for s in data["items"]), default=1)
    params = {
        "q": q or "",
        "since": since or "",
        "until": until or "",
        "source": source or "",
        "language": language or "",
        "min_size": min_size or "",
        "disputed": disputed,
    }
    query = dict(request.query_params)
    query.pop("offset", None)
    return page(
        "stories.html",
        title="Stories",
        data=data,
        params=params,
        articles=store_summary(ctx.store)["articles"],
        bars={s["id"]: size_bar(s["size"], biggest) for s in data["items"]},
        chart=sources_over_time(points, colours),
        colours=colours,
        json_url=str(request.url.replace(path="/api/stories")),
        prev_url=f"?{urlencode(query | {'offset': max(0, offset - PAGE_SIZE)})}" if offset > 0 else None,
        next_url=f"?{urlencode(query | {'offset': offset + PAGE_SIZE})}" if data["next"] else None,
    )

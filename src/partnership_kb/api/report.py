"""GET /report?area=…&asOf=…: the structure review as a self-contained HTML page.

Built by the same code as `pkb report`, on the app's synchronous driver in a worker thread
(the review runs several named queries and a layout). A bad parameter is a 400 saying what to
send; with a read key set (PKB_READ_KEY) the page needs it, as /graphql does (auth.ReadGuard)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .. import review
from .upload import SyncDriver

AREA_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# The page has no scripts and fetches nothing; say so to the browser too.
HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                      "img-src data:; frame-ancestors 'none'; base-uri 'none'",
           "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


def problem(status: int, message: str, hint: str) -> Response:
    return JSONResponse({"error": {"message": message, "hint": hint}}, status_code=status)


async def review_page(request: Request, driver: SyncDriver) -> Response:
    area = request.query_params.get("area") or None
    if area is not None and not AREA_ID.match(area):
        return problem(400, f"area: {area[:40]!r} is not an area id.",
                       "Send an id such as gloucestershire (lowercase letters, digits, -).")
    as_of: dt.date | None = None
    if text := request.query_params.get("asOf"):
        try:
            as_of = dt.date.fromisoformat(text)
        except ValueError:
            return problem(400, f"asOf: {text[:40]!r} is not a date.",
                           "Send it as 2011-01-01, or leave it out.")

    def build() -> str:
        return review.render(review.build(driver.get(), driver.database, area=area,
                                          as_of=as_of))

    page = await asyncio.to_thread(build)
    return HTMLResponse(page, headers=HEADERS)

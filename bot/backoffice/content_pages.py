"""The articles in the back-office: list and search by topic, edit with the file load's own checks, preview the
assistant's answer, publish, history and revert; the YAML export and import."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.backoffice import audit
from bot.backoffice.base import BOOKING, KNOWLEDGE, hr_only, not_found, page, person_of
from bot.core.models import Article
from bot.core.schema import field_problems
from bot.core.text import fold
from bot.knowledge.content import ContentError, export_yaml, parse_articles
from bot.knowledge.schema import RELIABILITIES, TOPICS, ArticleSchema
from bot.knowledge.versions import history, import_articles, publish, revert, stored_raw

TOPIC_LABELS = {
    "leave": "Congés et absences",
    "telework": "Télétravail",
    "social_aid": "Action sociale",
    "onboarding": "Arrivée dans l'école",
    "policy": "Règles de l'école",
    "rps": "Risques psychosociaux",
    "restaurant": "Restaurant",
    "contacts": "Contacts",
    "privacy": "Confidentialité",
}
RELIABILITY_LABELS = {"high": "Sûre", "medium": "À vérifier de temps en temps", "low": "Non confirmée"}
# The form's fields, in its order: the name of the article's field, its French label.
FORM_FIELDS = ("topic", "title", "body", "how_to", "questions", "source", "source_url", "source_date", "reliability")
ACTION_LABELS = {"seed": "Version des fichiers", "publish": "Publication", "revert": "Restauration", "import": "Import"}
assert set(TOPIC_LABELS) == set(TOPICS) and set(RELIABILITY_LABELS) == set(RELIABILITIES)

routes = web.RouteTableDef()


def _database(request: web.Request):
    return request.app[BOOKING].database


@routes.get("/contenus")
@hr_only
async def article_list(request: web.Request) -> web.Response:
    topic = request.query.get("theme", "")
    words = fold(request.query.get("q", "")).split()
    with _database(request).session() as session:
        query = select(Article).order_by(Article.topic, Article.title)
        if topic in TOPICS:
            query = query.where(Article.topic == topic)
        articles = [
            article
            for article in session.scalars(query)
            if all(word in fold(f"{article.id} {article.title} {article.body}") for word in words)
        ]
    return page(
        request,
        "contents.html",
        articles=articles,
        topic=topic,
        q=request.query.get("q", ""),
        topics=TOPIC_LABELS,
        reliabilities=RELIABILITY_LABELS,
    )


def _form_raw(stored: dict[str, Any], form) -> dict[str, Any]:
    """The article the form describes: its stored fields (keywords, tags…), then the form's."""
    raw = dict(stored)
    for name in FORM_FIELDS:
        value = str(form.get(name, "")).strip()
        if name == "questions":
            value = [line.strip() for line in value.splitlines() if line.strip()]
        if value or name not in ("how_to", "source_url", "questions"):
            raw[name] = value
        else:
            raw.pop(name, None)
    return raw


def _live_knowledge(request: web.Request):
    """The back-office's running KnowledgeBase: built at the first preview, then kept in step with the content
    revision (a publication rebuilds it once); each preview derives its index from it."""
    from bot.knowledge.engine import KnowledgeBase

    holder = request.app[KNOWLEDGE]
    if "base" not in holder:
        holder["base"] = KnowledgeBase(_database(request))
    return holder["base"]


def _stored(request: web.Request) -> dict[str, Any]:
    raw = stored_raw(_database(request), request.match_info["id"])
    if raw is None:
        raise not_found("Cette fiche n'existe pas (elle a peut-être été retirée par un import).")
    return raw


def _edit_page(request: web.Request, raw: dict[str, Any], status: int = 200, **context: Any) -> web.Response:
    context.setdefault("problems", {})
    context.setdefault("new", False)
    return page(
        request,
        "article.html",
        status,
        article=raw,
        topics=TOPIC_LABELS,
        reliabilities=RELIABILITY_LABELS,
        **context,
    )


def new_article_page(request: web.Request, raw: dict[str, Any], status: int = 200, **context: Any) -> web.Response:
    """The form of an article that does not exist yet (its identifier to choose), e.g. pre-filled from an
    answered case (bot/backoffice/case_pages.py)."""
    return _edit_page(request, raw, status, new=True, **context)


async def _submit(request: web.Request, raw: dict[str, Any], new: bool) -> web.Response:
    """« Prévisualiser » or « Publier »: both check the article as the file load does; errors by field."""
    form = await request.post()
    problems = field_problems(ArticleSchema, raw, median_dot=True)
    if new and "id" not in problems and stored_raw(_database(request), raw["id"]) is not None:
        problems = {"id": ["une fiche porte déjà cet identifiant : choisissez-en un autre"], **problems}
    if problems:
        return _edit_page(request, raw, 422, new=new, problems=problems)
    if form.get("action") == "publier":
        person = person_of(request)
        version = publish(_database(request), raw, person.subject)
        audit.record(_database(request), person.subject, "article.publish", f"{raw['id']} v{version}")
        return _edit_page(request, raw, published=True)  # it exists now: the form of an existing article
    # The answering engine loads at the first preview, not at the web server's start; the first preview indexes
    # the whole base (a second or two), the next ones the draft: off the event loop, so that the server goes on
    # answering.
    from bot.knowledge.preview import preview

    shown = await asyncio.get_running_loop().run_in_executor(
        None, preview, _database(request), raw, _live_knowledge(request)
    )
    return _edit_page(request, raw, new=new, preview=shown)


@routes.post("/contenus/nouvelle")
@hr_only
async def submit_new_article(request: web.Request) -> web.Response:
    form = await request.post()
    return await _submit(request, _form_raw({"id": str(form.get("id", "")).strip()}, form), new=True)


@routes.get("/contenus/{id:[a-z0-9][a-z0-9-]*}")
@hr_only
async def edit_article(request: web.Request) -> web.Response:
    return _edit_page(request, _stored(request))


@routes.post("/contenus/{id:[a-z0-9][a-z0-9-]*}")
@hr_only
async def submit_article(request: web.Request) -> web.Response:
    return await _submit(request, _form_raw(_stored(request), await request.post()), new=False)


@routes.get("/contenus/{id:[a-z0-9][a-z0-9-]*}/versions")
@hr_only
async def article_history(request: web.Request) -> web.Response:
    raw = _stored(request)
    return page(
        request, "history.html", article=raw, versions=history(_database(request), raw["id"]), labels=ACTION_LABELS
    )


@routes.post("/contenus/{id:[a-z0-9][a-z0-9-]*}/versions/{version:[0-9]+}/restaurer")
@hr_only
async def revert_article(request: web.Request) -> web.Response:
    raw, person = _stored(request), person_of(request)
    try:
        wanted = int(request.match_info["version"])
    except ValueError:
        raise not_found("Cette version n'existe pas.") from None
    version = revert(_database(request), raw["id"], wanted, person.subject)
    if version is None:
        raise not_found("Cette version n'existe pas.")
    audit.record(_database(request), person.subject, "article.revert", f"{raw['id']} v{wanted}")
    return page(
        request,
        "history.html",
        article=stored_raw(_database(request), raw["id"]),
        versions=history(_database(request), raw["id"]),
        labels=ACTION_LABELS,
        restored=wanted,
    )


@routes.get("/contenus/export.yml")
@hr_only
async def export_articles(request: web.Request) -> web.Response:
    audit.record(_database(request), person_of(request).subject, "content.export")
    return web.Response(
        text=export_yaml(_database(request)),
        content_type="application/yaml",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="fiches.yml"'},
    )


@routes.post("/contenus/import")
@hr_only
async def upload_articles(request: web.Request) -> web.Response:
    """A content file (an export edited or not) replaces every article, all or nothing; versions are kept."""
    upload = (await request.post()).get("fichier")
    problems: list[str] = []
    if not isinstance(upload, web.FileField):
        problems = ["Choisissez un fichier .yml à importer."]
    else:
        try:
            articles = parse_articles([(upload.filename, upload.file.read().decode("utf-8"))])
            if not articles:
                problems = [f"{upload.filename}: aucun article : l'import retirerait toutes les fiches."]
        except UnicodeDecodeError:
            problems = [f"{upload.filename}: le fichier n'est pas un texte UTF-8."]
        except ContentError as error:
            problems = str(error).splitlines()
    if problems:
        return page(request, "import.html", 422, problems=problems)
    person = person_of(request)
    report = import_articles(_database(request), articles, person.subject)
    audit.record(_database(request), person.subject, "content.import", f"{len(articles)} fiches")
    return page(request, "import.html", report=report)

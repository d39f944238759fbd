"""Articles in the back-office: search, the file load's checks by field, preview, publish seen by the running
engine, history and revert, the YAML export and import."""

from __future__ import annotations

from aiohttp import FormData
from sqlalchemy import func, select

from bot.core.models import Article, UnansweredCount
from bot.knowledge.answering import Answerer
from bot.knowledge.content import article_raw, export_yaml, parse_articles, store_articles
from tests.backoffice.client import article_form, run, signed_in

QUESTION = "combien de jours de RTT pour 39 heures par semaine ?"
NEW_FIGURE = "24 jours de RTT"
NEW_BODY = (
    "Le nombre de jours de RTT dépend de votre cycle de travail. À 39 heures par semaine, le barème de l'école "
    "donne 24 jours de RTT par an. À 38 heures par semaine, il en donne 18."
)


def test_articles_are_listed_and_searched_by_topic_and_words(office):
    async def scenario(new_person):
        hr = await signed_in(new_person)
        return await hr.get("/rh/contenus?theme=telework"), await hr.get("/rh/contenus?q=fractionnement")

    telework, search = run(office, scenario)
    assert "/rh/contenus/teletravail-forfait" in telework.text and "/rh/contenus/conge-rtt" not in telework.text
    assert "/rh/contenus/conge-jours-fractionnement" in search.text and "/rh/contenus/conge-rtt" not in search.text


def test_the_form_refuses_what_the_file_load_refuses_next_to_each_field(office):
    async def scenario(new_person):
        hr = await signed_in(new_person)
        form = article_form(office, "conge-rtt", body="Les agent·es posent leurs RTT.", source="", source_date="mars")
        return await hr.post("/rh/contenus/conge-rtt", form)

    page = run(office, scenario)
    assert page.status == 422
    assert (
        'id="champ-body" name="body" required aria-describedby="aide-body erreur-body" aria-invalid="true"' in page.text
    )
    assert 'id="erreur-body"' in page.text and "point médian interdit" in page.text
    assert 'id="erreur-source"' in page.text and "champ « source » manquant" in page.text
    assert 'id="erreur-source_date"' in page.text and "AAAA ou AAAA-MM-JJ" in page.text
    assert 'aria-invalid="true"' not in page.text.split('id="champ-title"')[1].split(">")[0]
    with office.session() as session:
        assert "agent·es" not in session.get(Article, "conge-rtt").body


def test_the_preview_is_the_assistants_answer_and_changes_nothing(office):
    async def scenario(new_person):
        hr = await signed_in(new_person)
        form = article_form(office, "conge-rtt", "apercu", body=NEW_BODY, questions=QUESTION)
        return await hr.post("/rh/contenus/conge-rtt", form)

    page = run(office, scenario)
    assert page.status == 200 and "Aperçu : ce que l'Assistant RH répondrait" in page.text
    assert NEW_FIGURE in page.text and "D&#39;après la fiche" in page.text
    assert "Voir la fiche complète" in page.text
    with office.session() as session:
        assert NEW_FIGURE not in session.get(Article, "conge-rtt").body
        assert session.scalar(select(func.count(UnansweredCount.id))) == 0


def test_the_preview_shows_the_draft_from_the_running_base_and_leaves_it_unchanged(office):
    from bot.knowledge.engine import KnowledgeBase, KnowledgeIndex
    from bot.knowledge.preview import preview
    from bot.knowledge.versions import stored_raw

    live = KnowledgeBase(office)
    before = live.index()
    stored_text = before.articles[before.by_id["conge-rtt"]].body
    draft = {**stored_raw(office, "conge-rtt"), "body": NEW_BODY, "questions": [QUESTION, "RTT à 38 heures ?"]}
    shown = preview(office, draft, live)

    assert NEW_FIGURE in shown.whole.text and NEW_FIGURE in shown.answers[0][1].text
    # The running base: the same index, the same article, the same answer as before the preview.
    assert live.index() is before and before.articles[before.by_id["conge-rtt"]].body == stored_text
    assert NEW_FIGURE not in Answerer(office, live).ask(QUESTION).text
    assert not any(NEW_BODY in text for text in before.unit_text)
    # The same answers as an index of the whole base built from scratch with the draft (the preview before).
    from bot.core.models import Article as Stored
    from bot.knowledge.content import article_fields

    with office.session() as session:
        others = [a for a in session.scalars(select(Stored).order_by(Stored.id)) if a.id != "conge-rtt"]
    scratch = KnowledgeIndex(sorted([*others, Stored(id="conge-rtt", **article_fields(draft))], key=lambda a: a.id))
    derived = before.replacing(Stored(id="conge-rtt", **article_fields(draft)))
    assert derived.unit_text == scratch.unit_text and derived.unit_terms == scratch.unit_terms
    chars, expected = derived.unit_chars, scratch.unit_chars
    assert all((getattr(chars, a) == getattr(expected, a)).all() for a in ("data", "indices", "indptr"))
    for question in draft["questions"] + ["combien de jours de congés annuels ?", "télétravail à l'étranger"]:
        assert (derived.features(question) == scratch.features(question)).all(), question
        assert derived.ask(question).passage == scratch.ask(question).passage


def test_the_back_office_keeps_one_running_base_for_its_previews(office, monkeypatch):
    from bot.knowledge import engine

    full_builds = []
    whole_base = engine.analyse_with_vectors
    monkeypatch.setattr(
        engine, "analyse_with_vectors", lambda texts: full_builds.append(len(texts)) or whole_base(texts)
    )

    async def scenario(new_person):
        hr = await signed_in(new_person)
        first = await hr.post("/rh/contenus/conge-rtt", article_form(office, "conge-rtt", "apercu", body=NEW_BODY))
        second = await hr.post("/rh/contenus/conge-rtt", article_form(office, "conge-rtt", "apercu"))
        return first, second

    first, second = run(office, scenario)
    assert NEW_FIGURE in first.text and NEW_FIGURE not in second.text
    assert len(full_builds) == 1  # the running base, once; each preview derives its index from it
    with office.session() as session:
        assert NEW_FIGURE not in session.get(Article, "conge-rtt").body


def test_a_published_change_is_the_running_engines_next_answer_and_reverting_brings_it_back(office):
    running = Answerer(office)  # as the action server holds it: built before the change
    assert NEW_FIGURE not in running.ask(QUESTION).text

    async def scenario(new_person):
        hr = await signed_in(new_person)
        published = await hr.post("/rh/contenus/conge-rtt", article_form(office, "conge-rtt", body=NEW_BODY))
        after_publish = running.ask(QUESTION).text
        history = await hr.get("/rh/contenus/conge-rtt/versions")
        seed = int(history.text.split("/versions/")[1].split("/")[0])
        reverted = await hr.post(f"/rh/contenus/conge-rtt/versions/{seed}/restaurer")
        return published, after_publish, history, reverted, await hr.get("/rh/contenus/conge-rtt/versions")

    published, after_publish, history, reverted, final = run(office, scenario)
    assert published.status == 200 and "La fiche est publiée" in published.text
    assert NEW_FIGURE in after_publish
    assert "nadia.rousseau" in history.text and "Version des fichiers" in history.text
    assert reverted.status == 200 and "de nouveau publiée" in reverted.text and "Restauration" in final.text
    assert NEW_FIGURE not in running.ask(QUESTION).text and "23 jours pour 39 h" in running.ask(QUESTION).text


def test_the_yaml_export_reads_back_the_same(office, tmp_path):
    exported = export_yaml(office)
    articles = parse_articles([("fiches.yml", exported)])
    with office.session() as session:
        stored = [article_raw(article) for article in session.scalars(select(Article).order_by(Article.id))]
    assert articles == stored and len(articles) > 30

    from bot.core.db import Database

    copy = Database(f"sqlite:///{tmp_path / 'copy.db'}")
    copy.upgrade_schema()
    store_articles(copy, articles)
    assert export_yaml(copy) == exported


def test_an_import_is_all_or_nothing_and_enters_the_history(office):
    exported = export_yaml(office)
    changed = exported.replace("Jours de réduction du temps de travail (RTT ou ARTT)", "Les jours de RTT", 1)
    broken = changed.replace("source_date: '2024'", "source_date: hier", 1)

    def upload(text: str) -> FormData:
        form = FormData()
        form.add_field("fichier", text.encode(), filename="fiches.yml", content_type="application/yaml")
        return form

    async def scenario(new_person):
        hr = await signed_in(new_person)
        export = await hr.get("/rh/contenus/export.yml")
        refused = await hr.post("/rh/contenus/import", upload(broken))
        with office.session() as session:
            title_after_refusal = session.get(Article, "conge-rtt").title
        imported = await hr.post("/rh/contenus/import", upload(changed))
        return export, refused, title_after_refusal, imported, await hr.get("/rh/contenus/conge-rtt/versions")

    export, refused, title_after_refusal, imported, history = run(office, scenario)
    assert export.status == 200 and export.text == exported
    assert export.headers["Content-Disposition"] == 'attachment; filename="fiches.yml"'
    assert refused.status == 422 and "source_date « hier »" in refused.text
    assert title_after_refusal == "Jours de réduction du temps de travail (RTT ou ARTT)"
    assert imported.status == 200 and "1 modifiée(s)" in imported.text
    assert "Les jours de RTT" in history.text and "Import" in history.text

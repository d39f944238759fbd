"""Who may enter the back-office: roles from the intranet's token, the session cookie, CSRF, CSP, the journal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.models import AuditEntry
from bot.core.settings import SettingError, Settings
from tests.backoffice.client import HR, PSYCHOLOGIST, VERIFIER, article_form, run, signed_in, token, web_settings

HR_PAGES = ["/rh/", "/rh/contenus", "/rh/rendez-vous", "/rh/horaires", "/rh/statistiques", "/rh/menus", "/rh/journal"]


def test_without_a_session_pages_lead_to_the_sign_in_and_forms_are_refused(office):
    async def scenario(new_person):
        person = new_person()
        home = await person.get("/rh/", allow_redirects=False)
        sign_in = await person.get("/rh/connexion")
        form = await person.post("/rh/contenus/conge-rtt", {"title": "x"}, csrf=False)
        return home, sign_in, form

    home, sign_in, form = run(office, scenario)
    assert home.status == 303 and home.headers["Location"] == "/rh/connexion"
    assert sign_in.status == 200 and 'lang="fr"' in sign_in.text and "depuis l'intranet" in sign_in.text
    assert "Agent de démonstration" not in sign_in.text  # no demo sign-in without DEV_SIGN_IN
    assert form.status == 403 and "session a expiré" in form.text


def test_an_agent_without_a_role_gets_a_french_403_and_no_session(office):
    async def scenario(new_person):
        person = new_person()
        refused = await person.sign_in("camille.martin")
        after = await person.get("/rh/contenus", allow_redirects=False)
        invalid = await person.client.post("/rh/connexion", data={"token": "not-a-token"})
        return refused, after, invalid.status

    refused, after, invalid = run(office, scenario)
    assert refused.status == 403 and "Accès refusé" in refused.text and "réservé au service" in refused.text
    assert 'lang="fr"' in refused.text
    assert after.status == 303 and invalid == 401


def test_hr_signs_in_with_a_strict_session_cookie_and_sees_every_page(office):
    async def scenario(new_person):
        person = new_person()
        response = await person.client.post("/rh/connexion", data={"token": token("n.r", HR)}, allow_redirects=False)
        pages = [await person.get(path) for path in HR_PAGES]
        return response.headers.getall("Set-Cookie"), pages

    cookies, pages = run(office, scenario)
    (cookie,) = [c for c in cookies if c.startswith("assistant_rh_backoffice=")]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/rh/" in cookie
    assert "Secure" not in cookie  # a local server (http://127.0.0.1): the browser would not send it back
    for path, page in zip(HR_PAGES, pages):
        assert page.status == 200, path
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
        assert "<script" not in page.text and 'lang="fr"' in page.text and 'href="#contenu"' in page.text
        assert page.headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_secure_on_a_public_address(office):
    async def scenario(new_person):
        person = new_person()
        response = await person.client.post("/rh/connexion", data={"token": token("n.r", HR)}, allow_redirects=False)
        return response.headers.getall("Set-Cookie")

    cookies = run(office, scenario, web_settings(public_url="https://rh.mines-ales.fr"))
    assert any(c.startswith("assistant_rh_backoffice=") and "Secure" in c for c in cookies)


def test_a_practitioner_sees_only_their_service(office):
    async def scenario(new_person):
        person = await signed_in(new_person, "helene.faure", PSYCHOLOGIST)
        home = await person.get("/rh/", allow_redirects=False)
        services = await person.get("/rh/rendez-vous")
        own = await person.get("/rh/rendez-vous/psychologue")
        others = [
            await person.get(path)
            for path in ("/rh/rendez-vous/avocat", "/rh/rendez-vous/avocat/export.csv", "/rh/contenus", "/rh/journal")
        ]
        others.append(await person.post("/rh/rendez-vous/avocat/creneaux/1/annuler"))
        return home, services, own, others

    home, services, own, others = run(office, scenario)
    assert home.status == 303 and home.headers["Location"] == "/rh/rendez-vous"
    assert "/rh/rendez-vous/psychologue" in services.text and "/rh/rendez-vous/avocat" not in services.text
    assert own.status == 200 and "Fiches" not in own.text  # the menu offers bookings only
    assert [page.status for page in others] == [403] * 5
    assert all("Accès refusé" in page.text for page in others)


def test_the_roles_claim_is_a_setting_and_may_be_a_text(office):
    async def scenario(new_person):
        person = new_person()
        await person.sign_in("n.r", "agent hr_admin", claim="groupes")
        return await person.get("/rh/journal")

    assert run(office, scenario, web_settings(roles_claim="groupes")).status == 200


def test_a_form_without_the_csrf_token_of_its_session_is_refused(office):
    async def scenario(new_person):
        hr, other = new_person(), new_person()
        await hr.sign_in("n.r", HR)
        await other.sign_in("o.t", HR)
        edit = article_form(office, "conge-rtt", title="Titre forgé")
        without = await hr.post("/rh/contenus/conge-rtt", edit, csrf=False)
        forged = await hr.post("/rh/contenus/conge-rtt", {**edit, "csrf": "0" * 32}, csrf=False)
        borrowed = await hr.post("/rh/contenus/conge-rtt", {**edit, "csrf": other.csrf}, csrf=False)
        return without, forged, borrowed

    pages = run(office, scenario)
    assert [page.status for page in pages] == [403, 403, 403]
    assert "jeton de sécurité" in pages[0].text
    with office.session() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "article.publish")) is None


def test_a_forged_session_cookie_is_no_session(office):
    async def scenario(new_person):
        person = new_person()
        person.client.session.cookie_jar.update_cookies({"assistant_rh_backoffice": "eyJzdWIiOiJ4In0." + "0" * 32})
        return await person.get("/rh/journal", allow_redirects=False)

    assert run(office, scenario).status == 303


def test_the_journal_names_who_did_what_on_which_object_and_no_text(office):
    async def scenario(new_person):
        hr = await signed_in(new_person)
        page = await hr.get("/rh/contenus/conge-rtt")
        assert page.status == 200
        body = "Les RTT se posent dans le logiciel de gestion des temps, en accord avec votre responsable."
        published = await hr.post("/rh/contenus/conge-rtt", article_form(office, "conge-rtt", body=body))
        return published, await hr.get("/rh/journal")

    published, journal = run(office, scenario)
    assert published.status == 200
    assert "nadia.rousseau" in journal.text and "Fiche publiée" in journal.text and "Connexion" in journal.text
    with office.session() as session:
        entries = session.scalars(select(AuditEntry)).all()
    assert {(e.actor, e.action) for e in entries} >= {
        ("nadia.rousseau", "sign_in"),
        ("nadia.rousseau", "article.publish"),
    }
    assert all("logiciel" not in (e.object_id or "") for e in entries)
    assert any((e.object_id or "").startswith("conge-rtt v") for e in entries)


def test_the_demo_sign_in_offers_an_hr_agent_and_a_practitioner_whose_tokens_carry_their_roles(office):
    async def scenario(new_person):
        hr, agent = new_person(), new_person()
        sign_in_page = await hr.get("/rh/connexion")
        await hr.client.post("/rh/connexion/demo", data={"agent": "nadia.rousseau"})
        journal = await hr.get("/rh/journal")
        refused = await agent.client.post("/rh/connexion/demo", data={"agent": "camille.martin"})
        await agent.client.post("/dev/sign-in", json={"agent": "helene.faure"})
        chat_token = await (await agent.client.get("/dev/token")).json()
        return sign_in_page, journal, refused.status, chat_token["token"]

    sign_in_page, journal, refused, chat_token = run(office, scenario, web_settings(dev_sign_in=True))
    assert "Nadia Rousseau (service RH)" in sign_in_page.text and "Hélène Faure (psychologue)" in sign_in_page.text
    assert journal.status == 200 and refused == 403
    assert VERIFIER.verify(chat_token).claims["roles"] == ["practitioner:psychologue"]


def test_the_back_office_settings_are_checked_at_start():
    with pytest.raises(SettingError, match="BACKOFFICE_SESSION_MINUTES"):
        Settings.from_environ({"BACKOFFICE_SESSION_MINUTES": "0"})
    read = Settings.from_environ({"BACKOFFICE_ROLES_CLAIM": " groupes ", "BACKOFFICE_SESSION_MINUTES": "30"})
    assert (read.backoffice_roles_claim, read.backoffice_session_minutes) == ("groupes", 30)

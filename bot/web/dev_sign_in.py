"""The development sign-in of the demo intranet page: served only with DEV_SIGN_IN=1.

It stands in for the intranet: the person picks a demo agent and gets a signed,
HttpOnly cookie; /dev/token then returns a token signed as the intranet's would be
(HS256 with INTRANET_JWT_SECRET), valid a few minutes, carrying the agent's
identifier (`sub`) and name. Never enable it in production: anyone could sign in
as any demo agent.
"""

from __future__ import annotations

from aiohttp import web

from bot.core.intranet import TokenVerifier, issue_token
from bot.core.signing import sign, signed

DEMO_AGENTS = {  # identifier (the token's sub) -> name
    "camille.martin": "Camille Martin",
    "dominique.bernard": "Dominique Bernard",
    "alex.petit": "Alex Petit",
    "sacha.moreau": "Sacha Moreau",
    "nadia.rousseau": "Nadia Rousseau (service RH)",
    "helene.faure": "Hélène Faure (psychologue)",
    "lou.garnier": "Lou Garnier",  # last: the keyboard walkthrough picks it with End
}
# The back-office's roles of the demo agents (README « For HR: the back-office »); the others have none.
DEMO_ROLES = {"nadia.rousseau": ["hr_admin"], "helene.faure": ["practitioner:psychologue"]}
TOKEN_SECONDS = 10 * 60
COOKIE = "assistant_rh_demo"
_PURPOSE = "dev-sign-in:"  # keeps these signatures apart from calendar links'


def _signed_in(request: web.Request) -> str | None:
    agent, _, signature = request.cookies.get(COOKIE, "").rpartition(".")
    return agent if agent in DEMO_AGENTS and signed(_PURPOSE + agent, signature) else None


def demo_token(verifier: TokenVerifier, agent: str, roles_claim: str) -> str:
    """A token as the intranet would sign it for a demo agent, with the agent's back-office roles if any."""
    roles = {roles_claim: DEMO_ROLES[agent]} if agent in DEMO_ROLES else None
    return issue_token(
        verifier.key,
        agent,
        DEMO_AGENTS[agent],
        TOKEN_SECONDS,
        audience=verifier.audience,
        issuer=verifier.issuer,
        extra=roles,
    )


def add_routes(app: web.Application, verifier: TokenVerifier, roles_claim: str) -> None:
    async def agents(_request: web.Request) -> web.Response:
        return web.json_response([{"id": agent, "name": name} for agent, name in DEMO_AGENTS.items()])

    async def sign_in(request: web.Request) -> web.Response:
        try:
            agent = (await request.json()).get("agent")
        except (ValueError, AttributeError, UnicodeDecodeError):
            agent = None
        if agent not in DEMO_AGENTS:
            return web.json_response({"message": "Agent de démonstration inconnu."}, status=400)
        response = web.json_response({"id": agent, "name": DEMO_AGENTS[agent]})
        response.set_cookie(COOKIE, f"{agent}.{sign(_PURPOSE + agent)}", httponly=True, samesite="Strict", path="/")
        return response

    async def token(request: web.Request) -> web.Response:
        agent = _signed_in(request)
        headers = {"Cache-Control": "no-store"}
        if agent is None:
            return web.json_response(
                {"message": "Connectez-vous à l'intranet pour discuter avec l'Assistant RH."},
                status=401,
                headers=headers,
            )
        signed_token = demo_token(verifier, agent, roles_claim)
        return web.json_response(
            {"token": signed_token, "name": DEMO_AGENTS[agent], "expires_in": TOKEN_SECONDS}, headers=headers
        )

    async def sign_out(_request: web.Request) -> web.Response:
        response = web.Response(status=204)
        response.del_cookie(COOKIE, path="/")
        return response

    app.router.add_get("/dev/agents", agents)
    app.router.add_post("/dev/sign-in", sign_in)
    app.router.add_get("/dev/token", token)
    app.router.add_post("/dev/sign-out", sign_out)

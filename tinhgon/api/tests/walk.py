"""The permission walk's machinery (see tinhgon/accounts/endpoints.py for what it checks): the personas, one object
of each model in each place, the oracle that says what each persona must get, and the requests, each rolled back
so that an allowed POST changes nothing for the next one."""

import copy
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tinhgon.accounts.endpoints import PUBLIC, SIGNED_IN, TOKEN, VIEW_OF, Endpoint
from tinhgon.accounts.models import Membership, Role, User
from tinhgon.accounts.permissions import Policy, anonymous_policy

# Where the objects are, seen from personas acting for P-A (tinhgon/test.py's world).
PLACES = {"own": "P-A", "sibling": "P-B", "parent": "P", "unrelated": "Q-A"}
ANONYMOUS = "anonymous"
ALLOWED, LOGIN, NOT_FOUND, FORBIDDEN = "allowed", "login", "404", "403"
ENDS_ON_LOGIN = {"accounts:logout", "accounts:login-code"}
# A signed original the walked record does not have yet (a draft takes none): the API says so with a 404 naming
# that absence, which is the allowed answer (the pages send the reader back to the record instead).
ABSENT_ORIGINAL = {"decision-original", "report-original"}


@dataclass
class Persona:
    name: str
    user: User | None
    policy: Policy
    clients: dict = field(default_factory=dict)

    def sign_in(self) -> None:
        """A client of each kind, signed in once, when the scene is built (a session made inside a test would be
        rolled back with it)."""
        for api in (False, True):
            client = self.new_client(api)
            self.clients[api] = (client, copy.copy(client.cookies))

    def client(self, api: bool):
        """The persona's client with its cookies as signed in (a sign-out is rolled back in the database, not in
        the client's cookies)."""
        client, cookies = self.clients[api]
        client.cookies = copy.copy(cookies)
        return client

    def new_client(self, api: bool):
        if api:
            client = APIClient()
            if self.user is not None:
                client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=self.user)[0].key}")
            return client
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        return client


def personas(world) -> list[Persona]:
    """One person per role, each acting for P-A only, and an anonymous visitor."""
    found = [Persona(ANONYMOUS, None, anonymous_policy())]
    for role in Role:
        user = User.objects.create_user(f"walk-{role.value}", f"walk-{role.value}@example.gov.vn", "TinhGon@2026-w")
        membership = Membership.objects.create(user=user, organisation=world.units["P-A"], role=role)
        found.append(Persona(role.value, user, Policy(user=user, memberships=[membership])))
    for persona in found:
        persona.sign_in()
    return found


def top_focal_point() -> Persona:
    """A focal point of the province P (a top unit), for what only such a person may change."""
    from tinhgon.organisations.models import Organisation

    user = User.objects.create_user("walk-top-focal", "walk-top-focal@example.gov.vn", "TinhGon@2026-w")
    province = Organisation.objects.get(code="P")
    membership = Membership.objects.create(user=user, organisation=province, role=Role.FOCAL_POINT)
    persona = Persona("focal_point@P", user, Policy(user=user, memberships=[membership]))
    client = persona.new_client(api=True)
    persona.clients[True] = (client, copy.copy(client.cookies))
    return persona


@dataclass
class Objects:
    """objects[model label][place] and, for the leak check, the marker each one carries in its name."""

    by_model: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)  # marker -> (model label, object)

    def add(self, label: str, place: str, obj) -> None:
        self.by_model.setdefault(label, {})[place] = obj

    def mark(self, token: str, label: str, obj) -> None:
        self.markers[token] = (label, obj)


def marker(label: str, place: str) -> str:
    """An ASCII token put in an object's name, found again in any page, export or document that shows it."""
    return f"WALK{label.split('.')[1].upper()}{place.upper()}"


# Builders: model label -> function(world, unit, place, objects) -> object, built for every place; a builder marks
# (`objects.mark`) the objects whose names carry a marker.
BUILDERS: dict[str, Callable] = {}


def builder(label: str):
    def register(function):
        BUILDERS[label] = function
        return function

    return register


def url_of(endpoint: Endpoint, obj) -> str:
    extra = {name: make(obj) if callable(make) else make for name, make in endpoint.extra.items()}
    if not endpoint.model:
        return reverse(endpoint.name, kwargs=extra or None)
    kwarg = endpoint.lookup if endpoint.lookup in ("code", "username") else "pk"
    return reverse(endpoint.name, kwargs={kwarg: getattr(obj, endpoint.lookup), **extra})


def expected(endpoint: Endpoint, method: str, persona: Persona, obj, visible: Callable) -> str:
    rule = endpoint.rule(method)
    if rule == TOKEN:
        return NOT_FOUND  # the walk's token is forged (the feeds' own tests use real ones)
    if persona.user is None and rule != PUBLIC:
        return LOGIN
    if endpoint.model:
        if not visible(persona.policy, obj):
            return NOT_FOUND
        if rule in (PUBLIC, SIGNED_IN) or rule == VIEW_OF.get(obj._meta.app_label):
            return ALLOWED
        return ALLOWED if obj.permits(persona.policy, rule) else FORBIDDEN
    if rule in (PUBLIC, SIGNED_IN):
        return ALLOWED
    return ALLOWED if persona.policy.can_anywhere(rule) else FORBIDDEN


def answer_class(endpoint: Endpoint, response) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if endpoint.name in ENDS_ON_LOGIN and status == 302:
        return ALLOWED  # signing out, or a second login step with no first one, ends on the login page
    if status == 405:
        return "405: the method is listed but refused"
    if status == 302 and "/dang-nhap/" in response.get("Location", ""):
        return LOGIN
    if status == 401:
        return LOGIN
    if status == 404 and endpoint.name in ABSENT_ORIGINAL and "chưa có bản gốc" in response.content.decode():
        return ALLOWED
    if status == 404:
        return NOT_FOUND
    if status == 403:
        return FORBIDDEN
    return ALLOWED


def request(endpoint: Endpoint, method: str, persona: Persona, url: str):
    """One request, rolled back: whatever an allowed POST does is undone before the next one."""
    api = url.startswith("/api/")
    call = getattr(persona.client(api), method.lower())
    with transaction.atomic():
        response = call(url, format="json") if api and method != "GET" else call(url)
        body = b"" if getattr(response, "streaming", False) else response.content
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response, body


def text_of(body: bytes) -> str:
    """What a person could read in an answer: the HTML or JSON, or the XML inside a .docx/.xlsx."""
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                parts = [name for name in archive.namelist() if name.endswith(".xml")]
                return " ".join(archive.read(name).decode("utf-8", "replace") for name in parts)
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "replace")


def leaked(objects: Objects, persona: Persona, text: str, visible_of: Callable) -> list[str]:
    """Markers of objects the persona may not see found in the text."""
    return [
        token
        for token, (label, obj) in objects.markers.items()
        if token in text and not visible_of(label)(persona.policy, obj)
    ]


def default_visible(label: str) -> Callable:
    model = apps.get_model(label)

    def visible(policy, obj) -> bool:
        return model.objects.visible_to(policy).filter(pk=obj.pk).exists()

    return visible

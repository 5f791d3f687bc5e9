"""A Monday morning on tinhgon (issue 15, load): the public searching the portal while civil servants work.

Run by `make load` (bench/load/run.sh) against gunicorn on PostgreSQL, on a data set made by
`manage.py generate_dataset`; headless, bounded in users and time, loopback only. The accounts and the addresses
to visit are read once from the database before the swarm starts (the same settings as the server), so each
simulated user works on real rows: its own unit's registry, ledger, plans and inbox.

Mix (weights of the user classes): nine anonymous visitors for one civil servant, as on a portal that the public
reaches from the national service portal. A visitor searches (common words, rare words, typos, with a field
filter), opens procedures, their history as of a past day, and downloads one in three times; a civil servant
opens the registry, a procedure, the ledger, the dashboard, who is late below them, a plan, their inbox and the
report list.

The users are locust's FastHttpUser (geventhttpclient): the load generator shares this machine's two cores with the
server, and the requests-based HttpUser costs it several times more CPU per request.
"""

import os
import random
import re

import django

import cpu
from locust import FastHttpUser, between, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhgon.settings")
django.setup()

from tinhgon.accounts.models import Membership, Role  # noqa: E402
from tinhgon.demo.dataset.accounts import DATASET_PASSWORD  # noqa: E402
from tinhgon.plans.models import Plan  # noqa: E402
from tinhgon.procedures.models import Field, ProcedureVersion  # noqa: E402

COMMON = ["cấp", "đăng ký", "thủ tục", "giấy phép", "xác nhận", "thẩm định", "phê duyệt", "báo cáo"]
RARE = ["lưu trữ lịch sử", "khen thưởng đột xuất", "phân loại đơn vị hành chính", "biên chế công chức"]
TYPOS = ["thu tuc", "dang ky", "giay phep", "tham dinh", "phe duyet", "khen thuong"]
STAFF_ROLES = [Role.FOCAL_POINT, Role.UNIT_HEAD, Role.OFFICER, Role.AGENCY_LEADER, Role.OVERSIGHT]
SAMPLE = int(os.environ.get("TINHGON_LOAD_SAMPLE", "2000"))


def read_targets() -> dict:
    """Published procedure codes, field codes, and staff accounts each with the plans of their own unit."""
    published = ProcedureVersion.objects.filter(status="published")
    memberships = Membership.objects.filter(role__in=STAFF_ROLES, is_active=True).select_related("user")
    memberships = memberships.order_by("?")[:SAMPLE]
    plans: dict[int, list[int]] = {}
    for issuer, pk in Plan.objects.values_list("issuer_id", "pk"):
        plans.setdefault(issuer, []).append(pk)
    return {
        "codes": list(published.values_list("procedure__code", flat=True)[:SAMPLE]),
        "fields": list(Field.objects.filter(is_active=True).values_list("code", flat=True)),
        "staff": [(m.user.username, plans.get(m.organisation_id, [])) for m in memberships],
    }


TARGETS: dict = {}
# Where to write the CPU snapshots taken as the swarm starts and stops (bench/load/cpu.py; run.sh sets it).
CPU_FILES = os.environ.get("TINHGON_LOAD_CPU", "")


@events.init.add_listener
def load_targets(environment, **kwargs):
    TARGETS.update(read_targets())
    if not TARGETS["codes"] or not TARGETS["staff"]:
        raise SystemExit("Chưa có dữ liệu: chạy manage.py generate_dataset trước (bench/load/run.sh làm việc này).")


@events.test_start.add_listener
def cpu_before(environment, **kwargs):
    if CPU_FILES:
        cpu.snapshot(f"{CPU_FILES}.before")


@events.test_stop.add_listener
def cpu_after(environment, **kwargs):
    if CPU_FILES:
        cpu.snapshot(f"{CPU_FILES}.after")


class Visitor(FastHttpUser):
    """Someone from the public, on the portal and the public API."""

    weight = 9
    wait_time = between(1, 5)

    @task(6)
    def search(self):
        words = random.choice([COMMON, COMMON, RARE, TYPOS])
        params = {"q": random.choice(words)}
        if random.random() < 0.25:
            params["linh_vuc"] = random.choice(TARGETS["fields"])
        self.client.get("/cong-khai/", params=params, name="portal search")

    @task(4)
    def procedure(self):
        code = random.choice(TARGETS["codes"])
        self.client.get(f"/cong-khai/thu-tuc/{code}/", name="portal procedure")
        if random.random() < 0.3:
            self.client.get(f"/cong-khai/thu-tuc/{code}/tai-ve.docx", name="portal download .docx")

    @task(1)
    def public_api(self):
        code = random.choice(TARGETS["codes"])
        self.client.get(f"/api/v1/public/procedures/{code}/", name="public API procedure")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD_FIELD = 'name="password"'


class CivilServant(FastHttpUser):
    """A signed-in officer, division head, focal point, leader or province office clerk."""

    weight = 1
    wait_time = between(2, 8)

    def on_start(self):
        page = self.client.get("/dang-nhap/", name="login page")
        token = CSRF.search(page.text)
        username, self.plans = random.choice(TARGETS["staff"])
        data = {"username": username, "password": DATASET_PASSWORD}
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        headers = {"Referer": self.host + "/dang-nhap/"}
        with self.client.post("/dang-nhap/", data=data, name="login", headers=headers, catch_response=True) as answer:
            if PASSWORD_FIELD in (answer.text or ""):  # the form again: not signed in, the pages after would measure it
                answer.failure(f"{username} không đăng nhập được")

    @task(5)
    def registry(self):
        self.client.get("/thu-tuc/", name="registry list")

    @task(3)
    def procedure(self):
        pk = random.choice(TARGETS["codes"])
        self.client.get("/thu-tuc/", params={"q": pk}, name="registry search")

    @task(3)
    def inbox(self):
        self.client.get("/", name="home and inbox")

    @task(2)
    def ledger(self):
        self.client.get("/ra-soat/so-theo-doi/", name="ledger")

    @task(2)
    def dashboard(self):
        self.client.get("/bao-cao/bang-dieu-khien/", name="dashboard")

    @task(2)
    def overdue(self):
        self.client.get("/ke-hoach/tre-han/", name="who is late below me")

    @task(2)
    def plan(self):
        if self.plans:
            self.client.get(f"/ke-hoach/{random.choice(self.plans)}/", name="plan page")
        else:
            self.client.get("/ke-hoach/", name="plan list")

    @task(1)
    def reports(self):
        self.client.get("/bao-cao/", name="report list")

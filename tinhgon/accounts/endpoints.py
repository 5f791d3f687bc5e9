"""Who may call what: every URL of the application with, for each HTTP method, the rule of permissions.py it needs
and the object its address names. docs/permissions.md's second table is generated from this list
(`manage.py permissions_matrix`), and the permission walk (tinhgon/api/tests/test_permission_walk*.py) requests
every one of them as every role acting for its own unit, a sibling, its parent and an unrelated province, and
anonymously, and compares each answer with what this list says:
- anonymous: a login page (web) or 401/403 (API), unless the endpoint is public;
- an address naming an object the user may not see (the model's `visible_to`): 404;
- an object seen but an action not allowed on it (`permits`): 403;
- a list or a form with no object: 403 unless the rule allows the user somewhere;
- otherwise anything but 401/403/404/500, and no list shows an object the user may not see.
A URL missing from this list fails the walk."""

import re
from dataclasses import dataclass, field

PUBLIC = "public"  # no login, nothing private (the portal, the health check)
SIGNED_IN = "signed_in"  # any signed-in user, about themselves only (their profile, their token, home)
TOKEN = "token"  # no login, but a signed token in the address (calendar feeds): a wrong one is a 404
VIEW_OF = {  # the rule that makes an object of each app visible (its model's visible_to is built on it)
    "organisations": "organisations.view",
    "accounts": "users.view",
    "audit": "audit.view",
    "procedures": "procedures.view",
    "reviews": "reviews.view",
    "plans": "plans.view",
    "reports": "reports.view",
    "quality": "quality.view",
}


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name ("procedures:detail"; API names have no namespace: "procedure-detail")
    methods: dict  # HTTP method -> rule code, PUBLIC or SIGNED_IN
    model: str = ""  # "app_label.Model" of the object the address names, "" for lists and forms
    lookup: str = "pk"  # the model field the URL's first keyword argument matches
    extra: dict = field(default_factory=dict)  # other URL arguments, as fixed values

    def rule(self, method: str) -> str:
        return self.methods[method]


E = Endpoint
GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")


def both(rule: str) -> dict:
    return {"GET": rule, "POST": rule}


ENDPOINTS = [
    # core, accounts
    E("home", {"GET": SIGNED_IN}),
    E("healthz", {"GET": PUBLIC}),
    E("todo-count", {"GET": SIGNED_IN}),
    E("accounts:login", {"GET": PUBLIC, "POST": PUBLIC}),
    E("accounts:logout", {"POST": PUBLIC}),
    E("accounts:login-code", {"GET": PUBLIC, "POST": PUBLIC}),
    E("accounts:password-change", both(SIGNED_IN)),
    E("accounts:password-reset", both(PUBLIC)),
    E("accounts:password-reset-sent", {"GET": PUBLIC}),
    E("accounts:password-reset-done", {"GET": PUBLIC}),
    E("accounts:password-reset-confirm", both(PUBLIC), extra={"uidb64": "x", "token": "y"}),
    E("accounts:two-factor", both(SIGNED_IN)),
    E("accounts:two-factor-remove", {"POST": SIGNED_IN}),
    E("accounts:profile", {"GET": SIGNED_IN}),
    E("accounts:switch", {"POST": SIGNED_IN}),
    E("accounts:token-create", {"POST": SIGNED_IN}),
    E("accounts:token-revoke", {"POST": SIGNED_IN}),
    E("accounts:users", {"GET": "users.view"}),
    E("accounts:user-create", both("users.add")),
    E("accounts:user-detail", {"GET": "users.view", "POST": "memberships.manage"}, "accounts.User", "username"),
    E("accounts:membership-revoke", {"POST": "memberships.manage"}, "accounts.Membership"),
    # organisations, audit
    E("organisations:tree", {"GET": "organisations.view"}),
    E("organisations:merge", both("organisations.merge")),
    E("organisations:lookup", {"GET": "organisations.view"}),
    E("organisations:detail", {"GET": "organisations.view"}, "organisations.Organisation", "code"),
    E("organisations:children", {"GET": "organisations.view"}, "organisations.Organisation", "code"),
    E("organisations:edit", both("organisations.change"), "organisations.Organisation", "code"),
    E("organisations:create", both("organisations.add"), "organisations.Organisation", "code"),
    E("organisations:templates", {"GET": "organisations.change"}, "organisations.Organisation", "code"),
    *(
        E(f"organisations:template-{name}", methods, "organisations.Organisation", "code", {"kind": "ke-hoach"})
        for name, methods in [
            ("default", {"GET": "organisations.change"}),
            ("current", {"GET": "organisations.change"}),
            ("upload", both("organisations.change")),
            ("revert", {"POST": "organisations.change"}),
        ]
    ),
    E("audit:entries", {"GET": "audit.view"}),
    # procedures
    E("procedures:list", {"GET": "procedures.view"}),
    E("procedures:create", both("procedures.edit")),
    E("procedures:templates", both("procedures.edit")),
    E("procedures:detail", {"GET": "procedures.view"}, "procedures.Procedure"),
    E("procedures:edit", both("procedures.edit"), "procedures.Procedure"),
    E("procedures:version-new", {"POST": "procedures.edit"}, "procedures.Procedure"),
    E("procedures:compare", {"GET": "procedures.view"}, "procedures.Procedure"),
    E("procedures:submit", {"POST": "procedures.submit"}, "procedures.Procedure"),
    E("procedures:check", {"POST": "procedures.check"}, "procedures.Procedure"),
    E("procedures:return", {"POST": "procedures.check"}, "procedures.Procedure"),
    E("procedures:transition-end", {"POST": "decisions.manage"}, "procedures.Procedure"),
    E("procedures:form-upload", {"POST": "procedures.edit"}, "procedures.Procedure"),
    E("procedures:form-file", {"GET": PUBLIC}, "procedures.ProcedureForm"),
    E("procedures:decisions", {"GET": "procedures.view"}),
    E("procedures:decision-create", both("decisions.manage")),
    E("procedures:decision", {"GET": "procedures.view", "POST": "decisions.manage"}, "procedures.PublicationDecision"),
    E("procedures:decision-edit", both("decisions.manage"), "procedures.PublicationDecision"),
    E("procedures:decision-issue", both("decisions.manage"), "procedures.PublicationDecision"),
    E("procedures:decision-docx", {"GET": "decisions.read"}, "procedures.PublicationDecision"),
    E(
        "procedures:decision-original",
        {"GET": "procedures.view", "POST": "decisions.manage"},
        "procedures.PublicationDecision",
    ),
    E(
        "procedures:decision-item-remove",
        {"POST": "decisions.manage"},
        "procedures.PublicationDecision",
        extra={"item_pk": lambda decision: decision.items.order_by("pk").values_list("pk", flat=True).first()},
    ),
    E("procedures:fields", {"GET": "procedures.view"}),
    E("procedures:field-create", both("fields.manage")),
    E("procedures:field", {"GET": "procedures.view"}, "procedures.Field"),
    E("procedures:field-rename", {"POST": "fields.manage"}, "procedures.Field"),
    E("procedures:field-move", {"POST": "fields.manage"}, "procedures.Field"),
    E("procedures:field-merge", both("fields.manage"), "procedures.Field"),
    E("procedures:field-state", {"POST": "fields.manage"}, "procedures.Field"),
    E("procedures:import", both("procedures.edit")),
    E("procedures:import-confirm", {"POST": "procedures.edit"}),
    E("procedures:import-template", {"GET": "procedures.view"}),
    E("procedures:export", {"GET": "procedures.view"}),
    E("procedures:export-import-layout", {"GET": "procedures.view"}),
    # reviews
    E("reviews:rounds", {"GET": "reviews.view", "POST": "reviews.plan"}),
    E("reviews:round", {"GET": "reviews.view", "POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("reviews:review", {"GET": "reviews.view", "POST": "reviews.edit"}, "reviews.Review"),
    E("reviews:hint", {"POST": "reviews.edit"}, "reviews.Review"),
    E("reviews:sheet-current", {"POST": "reviews.edit"}, "reviews.Review"),
    E("reviews:sheet-proposed", {"POST": "reviews.edit"}, "reviews.Review"),
    E("reviews:submit", {"POST": "reviews.submit"}, "reviews.Review"),
    E("reviews:check", {"POST": "reviews.check"}, "reviews.Review"),
    E("reviews:return", {"POST": "reviews.check"}, "reviews.Review"),
    E("reviews:assess", {"POST": "reviews.check"}, "reviews.Review"),
    E("reviews:review-docx", {"GET": "reviews.view"}, "reviews.Review"),
    E("reviews:approvals", {"GET": "reviews.view", "POST": "reviews.approve"}),
    E("reviews:approval", {"GET": "reviews.view", "POST": "reviews.approve"}, "reviews.ApprovalDecision"),
    E("reviews:approval-edit", both("reviews.approve"), "reviews.ApprovalDecision"),
    E("reviews:approval-issue", both("reviews.approve"), "reviews.ApprovalDecision"),
    E("reviews:approval-docx", {"GET": "approvals.read"}, "reviews.ApprovalDecision"),
    E("reviews:approval-original", {"GET": "reviews.view", "POST": "reviews.approve"}, "reviews.ApprovalDecision"),
    E("reviews:implementation", {"GET": "reviews.view"}),
    E("reviews:implementation-update", {"POST": "reviews.implement"}, "reviews.ImplementationItem"),
    E("reviews:ledger", {"GET": "reviews.view"}),
    E("reviews:ledger-procedures", {"GET": "reviews.view"}),
    E("reviews:ledger-xlsx", {"GET": "reviews.view"}),
    E("reviews:proposals-xlsx", {"GET": "reviews.view"}),
    E("reviews:parameters", {"GET": "reviews.view", "POST": "reviews.parameters"}),
    E("reviews:milestones", {"GET": "reviews.view", "POST": "reviews.parameters"}),
    E("reviews:milestone", {"GET": "reviews.view", "POST": "reviews.parameters"}, "reviews.Milestone"),
    E("reviews:team", {"GET": "reviews.view", "POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("reviews:team-member-add", {"POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("reviews:team-member-remove", {"POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("reviews:round-assign", {"POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("reviews:review-assign", {"POST": "reviews.plan"}, "reviews.Review"),
    # plans, tasks, assignments
    E("plans:plans", {"GET": "plans.view", "POST": "plans.manage"}),
    E("plans:plan", {"GET": "plans.view", "POST": "plans.manage"}, "plans.Plan"),
    E("plans:plan-edit", both("plans.manage"), "plans.Plan"),
    E("plans:plan-docx", {"GET": "plans.view"}, "plans.Plan"),
    E("plans:plan-xlsx", {"GET": "plans.view"}, "plans.Plan"),
    E("plans:plan-follow", {"POST": "plans.manage"}, "plans.Plan"),
    E("plans:task-add", both("plans.manage"), "plans.Plan"),
    E("plans:task-import", both("plans.manage"), "plans.Plan"),
    E("plans:task-import-confirm", {"POST": "plans.manage"}, "plans.Plan"),
    E("plans:task-table", {"GET": "plans.manage"}, "plans.Plan"),
    E("plans:task-import-template", {"GET": "plans.manage"}),
    E("plans:document-import", both("plans.manage"), "plans.Plan"),
    E("plans:document-review", both("plans.manage"), "plans.Plan"),
    E("plans:attachment-file", {"GET": "plans.view"}, "plans.PlanAttachment"),
    E("plans:task", {"GET": "plans.view", "POST": "plans.view"}, "plans.Task"),
    E("plans:task-edit", both("plans.manage"), "plans.Task"),
    E("plans:task-delete", both("plans.manage"), "plans.Task"),
    E("plans:extension-decide", {"POST": "plans.manage"}, "plans.ExtensionRequest"),
    E("plans:assignment", {"GET": "plans.view", "POST": "plans.report"}, "plans.Assignment"),
    E("plans:evidence-file", {"GET": "plans.view"}, "plans.Evidence"),
    E("plans:mine", {"GET": "plans.view"}),
    E("plans:overdue", {"GET": "plans.view"}),
    E("plans:notifications", {"GET": SIGNED_IN}),
    E("notifications:list", {"GET": SIGNED_IN}),
    E("notifications:open", {"GET": SIGNED_IN}, "notifications.Notification"),
    E("notifications:read-all", {"POST": SIGNED_IN}),
    E("notifications:preference", {"POST": SIGNED_IN}),
    E("plans:ical-user", {"GET": TOKEN}, extra={"token": "x"}),
    E("plans:ical-org", {"GET": TOKEN}, extra={"code": "P-A", "token": "x"}),
    # indicators and scorecards
    E("plans:indicators", {"GET": "plans.view", "POST": "indicators.manage"}),
    E("plans:indicator", {"GET": "plans.view", "POST": "indicators.enter"}, "plans.Indicator"),
    E("plans:indicator-value-file", {"GET": "plans.view"}, "plans.IndicatorValue"),
    E("plans:scorecards", {"GET": "plans.view"}),
    E("plans:scorecard", {"GET": "plans.view"}, "plans.Scorecard"),
    E("plans:scorecard-self-assess", {"POST": "indicators.enter"}, "plans.Scorecard"),
    E("plans:scorecard-appraise", {"POST": "scorecards.appraise"}, "plans.Scorecard"),
    E("plans:scorecard-copy", {"POST": "indicators.manage"}, "plans.Scorecard"),
    # reports
    E("reports:list", {"GET": "reports.view", "POST": "reports.write"}),
    E("reports:dashboard", {"GET": "reports.view"}),
    E("reports:detail", {"GET": "reports.view", "POST": "reports.write"}, "reports.Report"),
    E("reports:refresh", {"POST": "reports.write"}, "reports.Report"),
    E("reports:submit", {"POST": "reports.submit"}, "reports.Report"),
    E("reports:return", {"POST": "reports.receive"}, "reports.Report"),
    E("reports:accept", {"POST": "reports.receive"}, "reports.Report"),
    E("reports:docx", {"GET": "reports.view"}, "reports.Report"),
    E("reports:xlsx", {"GET": "reports.view"}, "reports.Report"),
    E("reports:pdf", {"GET": "reports.view"}, "reports.Report"),
    E("reports:original", {"GET": "reports.view", "POST": "reports.submit"}, "reports.Report"),
    # quality management: ISO 9001 processes, announcements, internal audits and findings; the QĐ 766 index
    E("quality:processes", {"GET": "quality.view"}),
    E("quality:processes-xlsx", {"GET": "quality.view"}),
    E("quality:process-create", both("quality.manage")),
    E("quality:process", {"GET": "quality.view"}, "quality.QualityProcess"),
    E("quality:process-edit", both("quality.manage"), "quality.QualityProcess"),
    E("quality:process-new-edition", both("quality.manage"), "quality.QualityProcess"),
    E("quality:process-abolish", {"POST": "quality.manage"}, "quality.QualityProcess"),
    E("quality:announcements", {"GET": "quality.view", "POST": "quality.manage"}),
    E("quality:announcement-edit", both("quality.manage"), "quality.ConformityAnnouncement"),
    E("quality:audits", {"GET": "quality.view", "POST": "quality.manage"}),
    E("quality:audit", {"GET": "quality.view", "POST": "quality.manage"}, "quality.InternalAudit"),
    E("quality:audit-edit", both("quality.manage"), "quality.InternalAudit"),
    E("quality:finding", {"GET": "quality.view", "POST": "quality.enter"}, "quality.AuditFinding"),
    E("quality:scores", {"GET": "quality.view"}),
    E("quality:score-enter", both("quality.enter")),
    E("quality:score", {"GET": "quality.view", "POST": "quality.enter"}, "quality.ServiceIndexScore"),
    E("quality:score-publish", {"POST": "quality.publish"}, "quality.ServiceIndexScore"),
    E("quality:score-withdraw", {"POST": "quality.publish"}, "quality.ServiceIndexScore"),
    E("quality:score-evidence", {"GET": "quality.view"}, "quality.ServiceIndexScore"),
    # the public portal
    E("portal:search", {"GET": PUBLIC}),
    E("portal:procedure", {"GET": PUBLIC}, "portal.PublicProcedure", "code"),
    E("portal:procedure-docx", {"GET": PUBLIC}, "portal.PublicProcedure", "code"),
    E("portal:procedure-pdf", {"GET": PUBLIC}, "portal.PublicProcedure", "code"),
    E("portal:decisions", {"GET": PUBLIC}),
    E("portal:decision", {"GET": PUBLIC}, "portal.PublicDecision"),
    E("portal:decision-original", {"GET": PUBLIC}, "portal.PublicDecision"),
    E("portal:agencies", {"GET": PUBLIC}),
    E("portal:agency", {"GET": PUBLIC}, extra={"code": "P"}),
    E("portal:posting-list", {"GET": PUBLIC}, extra={"code": "P"}),
    E("portal:posting-list-pdf", {"GET": PUBLIC}, extra={"code": "P"}),
    E("portal:embed", {"GET": PUBLIC}, extra={"code": "P"}),
    E("service_index:index", {"GET": PUBLIC}),
    # API: accounts, organisations
    E("api-root", {"GET": SIGNED_IN}),
    E("user-list", {"GET": "users.view", "POST": "users.add"}),
    E("user-detail", {"GET": "users.view"}, "accounts.User", "username"),
    E("membership-list", {"GET": "memberships.view", "POST": "memberships.manage"}),
    E("membership-detail", {"GET": "memberships.view", "DELETE": "memberships.manage"}, "accounts.Membership"),
    E("organisation-list", {"GET": "organisations.view", "POST": "organisations.add"}),
    E("organisation-merge", {"POST": "organisations.merge"}),
    E(
        "organisation-detail",
        {"GET": "organisations.view", "PATCH": "organisations.change"},
        "organisations.Organisation",
        "code",
    ),
    # API: procedures
    E("procedure-list", {"GET": "procedures.view", "POST": "procedures.edit"}),
    E(
        "procedure-detail",
        {"GET": "procedures.view", "PATCH": "procedures.edit"},
        "procedures.Procedure",
    ),
    E("procedure-submit", {"POST": "procedures.submit"}, "procedures.Procedure"),
    E("procedure-check", {"POST": "procedures.check"}, "procedures.Procedure"),
    E("procedure-return-", {"POST": "procedures.check"}, "procedures.Procedure"),
    E("procedure-versions", {"GET": "procedures.view"}, "procedures.Procedure"),
    E("decision-list", {"GET": "procedures.view", "POST": "decisions.manage"}),
    E("decision-detail", {"GET": "procedures.view"}, "procedures.PublicationDecision"),
    E("decision-docx", {"GET": "decisions.read"}, "procedures.PublicationDecision"),
    E("decision-original", {"GET": "procedures.view", "POST": "decisions.manage"}, "procedures.PublicationDecision"),
    E("decision-issue", {"POST": "decisions.manage"}, "procedures.PublicationDecision"),
    E("field-list", {"GET": "procedures.view", "POST": "fields.manage"}),
    E("field-detail", {"GET": "procedures.view", "PATCH": "fields.manage"}, "procedures.Field"),
    E("field-merge", {"POST": "fields.manage"}, "procedures.Field"),
    E("public-procedure-list", {"GET": PUBLIC}),
    E("public-procedure-detail", {"GET": PUBLIC}, "portal.PublicProcedure", "code"),
    # API: reviews
    E("review-round-list", {"GET": "reviews.view", "POST": "reviews.plan"}),
    E("review-round-detail", {"GET": "reviews.view"}, "reviews.ReviewRound"),
    E("review-round-add-all-published", {"POST": "reviews.plan"}, "reviews.ReviewRound"),
    E("review-list", {"GET": "reviews.view", "POST": "reviews.plan"}),
    E("review-detail", {"GET": "reviews.view", "PATCH": "reviews.edit"}, "reviews.Review"),
    E("review-submit", {"POST": "reviews.submit"}, "reviews.Review"),
    E("review-check", {"POST": "reviews.check"}, "reviews.Review"),
    E("review-return-", {"POST": "reviews.check"}, "reviews.Review"),
    E("review-assess", {"POST": "reviews.check"}, "reviews.Review"),
    E("review-approve", {"POST": "reviews.approve"}, "reviews.Review"),
    E("review-hints", {"GET": "reviews.view"}, "reviews.Review"),
    E("cost-parameter-list", {"GET": "reviews.view", "POST": "reviews.parameters"}),
    E("cost-parameter-detail", {"GET": "reviews.view"}, "reviews.CostParameterSet"),
    E("cost-sheet-list", {"GET": "reviews.view", "POST": "reviews.edit"}),
    E("cost-sheet-detail", {"GET": "reviews.view"}, "reviews.CostSheet"),
    E("proposal-list", {"GET": "reviews.view", "POST": "reviews.edit"}),
    E("proposal-detail", {"GET": "reviews.view"}, "reviews.Proposal"),
    E("ledger", {"GET": "reviews.view"}),
    E("approval-list", {"GET": "reviews.view", "POST": "reviews.approve"}),
    E("approval-detail", {"GET": "reviews.view"}, "reviews.ApprovalDecision"),
    E("approval-options", {"POST": "reviews.approve"}, "reviews.ApprovalDecision"),
    E("approval-issue", {"POST": "reviews.approve"}, "reviews.ApprovalDecision"),
    E("milestone-list", {"GET": "reviews.view", "POST": "reviews.parameters"}),
    E("milestone-applicable", {"GET": "reviews.view"}),
    E(
        "milestone-detail",
        {"GET": "reviews.view", "PATCH": "reviews.parameters", "DELETE": "reviews.parameters"},
        "reviews.Milestone",
    ),
    E("inbox", {"GET": SIGNED_IN}),
    # API: plans
    E("plan-list", {"GET": "plans.view", "POST": "plans.manage"}),
    E("plan-detail", {"GET": "plans.view"}, "plans.Plan"),
    E("plan-close", {"POST": "plans.manage"}, "plans.Plan"),
    E("plan-reopen", {"POST": "plans.manage"}, "plans.Plan"),
    E("plan-extract", {"POST": "plans.manage"}),
    E("task-list", {"GET": "plans.view", "POST": "plans.manage"}),
    E("task-detail", {"GET": "plans.view", "DELETE": "plans.manage"}, "plans.Task"),
    E("assignment-list", {"GET": "plans.view"}),
    E("assignment-detail", {"GET": "plans.view", "PATCH": "plans.report"}, "plans.Assignment"),
    E("assignment-extension", {"POST": "plans.report"}, "plans.Assignment"),
    E("assignment-extension-approve", {"POST": "plans.manage"}, "plans.Assignment"),
    E("assignment-extension-refuse", {"POST": "plans.manage"}, "plans.Assignment"),
    E("overdue", {"GET": "plans.view"}),
    E("indicator-list", {"GET": "plans.view", "POST": "indicators.manage"}),
    E("indicator-detail", {"GET": "plans.view"}, "plans.Indicator"),
    E("indicator-values", {"GET": "plans.view", "POST": "indicators.enter"}, "plans.Indicator"),
    # API: reports
    E("report-list", {"GET": "reports.view", "POST": "reports.write"}),
    E("report-detail", {"GET": "reports.view", "PATCH": "reports.write"}, "reports.Report"),
    E("report-refresh", {"POST": "reports.write"}, "reports.Report"),
    E("report-submit", {"POST": "reports.submit"}, "reports.Report"),
    E("report-original", {"GET": "reports.view", "POST": "reports.submit"}, "reports.Report"),
    E("notification-list", {"GET": SIGNED_IN}),
    E("notification-detail", {"GET": SIGNED_IN}, "notifications.Notification"),
    E("notification-read", {"POST": SIGNED_IN}, "notifications.Notification"),
    E("notification-read-all", {"POST": SIGNED_IN}),
    E("report-return-", {"POST": "reports.receive"}, "reports.Report"),
    E("report-accept", {"POST": "reports.receive"}, "reports.Report"),
    E("report-children", {"GET": "reports.view"}, "reports.Report"),
    E("report-docx", {"GET": "reports.view"}, "reports.Report"),
    E("report-xlsx", {"GET": "reports.view"}, "reports.Report"),
    E("report-pdf", {"GET": "reports.view"}, "reports.Report"),
    E("dashboard", {"GET": "reports.view"}),
    # API: schema and documentation (no data)
    E("api-schema", {"GET": PUBLIC}),
    E("api-docs", {"GET": PUBLIC}),
]


RULE_LABELS = {PUBLIC: "công khai", SIGNED_IN: "đã đăng nhập", TOKEN: "mã bí mật trong địa chỉ"}


def url_routes() -> dict[str, str]:
    """URL name -> its route ("thu-tuc/<int:pk>/"), the Django admin's left out (configuration, superusers)."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name != "admin":
                    inner = ":".join(filter(None, [namespace, pattern.namespace]))
                    yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", prefix + str(pattern.pattern))
                yield name, "/" + route.replace("^", "").replace("$", "")

    return dict(walk(get_resolver().url_patterns))


def endpoints_markdown() -> str:
    """The table of docs/permissions.md: every address, its methods and the rule each needs."""
    routes = url_routes()
    lines = ["| Địa chỉ | Tên | Phương thức → quyền | Đối tượng trong địa chỉ |", "|---|---|---|---|"]
    for e in ENDPOINTS:
        rules = "; ".join(f"{method} → `{RULE_LABELS.get(rule, rule)}`" for method, rule in e.methods.items())
        route = routes.get(e.name, "?").replace("|", "\\|")
        lines.append(f"| `{route}` | `{e.name}` | {rules} | {e.model or '—'} |")
    return "\n".join(lines) + "\n"

"""The platform's own sentences, in English and Vietnamese, registered into the library's
catalogue (code -> (English, Vietnamese)) so one ``t`` renders every message.

Codes are what the API returns in ``errors[].code``; the message is rendered in the
request's language at the edge (``?lang=`` or ``Accept-Language``; Vietnamese by default).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language

from maturity.web.engine import LANGUAGES, MESSAGES, t
from maturity.web.pages.texts import PAGE_MESSAGES

PLATFORM_MESSAGES: dict[str, tuple[str, str]] = {
    # requests
    "request.invalid": ("invalid value: {why}", "giá trị không hợp lệ: {why}"),
    "request.missing": ("this field is required", "trường này là bắt buộc"),
    "request.nul": (
        "the address or a parameter contains a NUL character (%00); remove it",
        "địa chỉ hoặc một tham số chứa ký tự NUL (%00); hãy bỏ ký tự này",
    ),
    "request.json": ("the body is not valid JSON", "nội dung gửi lên không phải JSON hợp lệ"),
    "request.too_big": (
        "the request is {size} bytes, more than the limit of {limit} bytes",
        "yêu cầu có {size} byte, vượt giới hạn {limit} byte",
    ),
    "request.not_found": ("not found", "không tìm thấy"),
    "request.method": ("method not allowed", "phương thức không được phép"),
    "request.server": (
        "the server could not complete the request; it has been logged",
        "máy chủ không hoàn tất được yêu cầu; sự cố đã được ghi lại",
    ),
    # authentication and roles
    "auth.required": ("sign in first", "hãy đăng nhập trước"),
    "auth.failed": ("wrong user name or password", "sai tên đăng nhập hoặc mật khẩu"),
    "auth.throttled": (
        "too many failed sign-ins; try again in {seconds} seconds",
        "đăng nhập sai quá nhiều lần; hãy thử lại sau {seconds} giây",
    ),
    "auth.csrf": (
        "the CSRF token is missing or wrong: send the X-CSRFToken header with the token from sign-in",
        "thiếu hoặc sai mã CSRF: hãy gửi tiêu đề X-CSRFToken với mã nhận được khi đăng nhập",
    ),
    "auth.token": (
        "the API token is unknown or revoked",
        "mã API không tồn tại hoặc đã bị thu hồi",
    ),
    "auth.forbidden": (
        "your role ({role}) may not do this",
        "vai trò của bạn ({role}) không được thực hiện việc này",
    ),
    "auth.disabled": ("this account is disabled", "tài khoản này đã bị khoá"),
    "role.commune_officer": ("commune officer", "cán bộ cấp xã"),
    "role.province_officer": ("province officer", "cán bộ tỉnh"),
    "role.evaluator": ("ministry evaluator", "cán bộ đánh giá của Bộ"),
    "role.policy_author": ("policy author", "người soạn khung đánh giá"),
    "role.public": ("public", "công chúng"),
    "role.machine": ("machine client", "hệ thống tự động"),
    "role.unit_required": (
        "the role {role} needs a unit of tier {tier} (--unit)",
        "vai trò {role} cần một đơn vị cấp {tier} (--unit)",
    ),
    "role.unit_refused": (
        "the role {role} covers every unit; do not give --unit",
        "vai trò {role} áp dụng cho mọi đơn vị; không cần --unit",
    ),
    "role.unknown": (
        "unknown role '{role}' (one of {roles})",
        "không có vai trò '{role}' (chọn một trong {roles})",
    ),
    # users (maturity users)
    "user.exists": ("the user '{name}' already exists", "người dùng '{name}' đã tồn tại"),
    "user.unknown": ("no user '{name}'", "không có người dùng '{name}'"),
    "user.added": ("added {name} ({role}{unit})", "đã thêm {name} ({role}{unit})"),
    "user.disabled": ("disabled {name}", "đã khoá {name}"),
    "user.role_set": ("{name} is now {role}{unit}", "{name} nay là {role}{unit}"),
    "user.password_empty": ("the password is empty", "mật khẩu trống"),
    "user.password_short": (
        "the password is shorter than {min} characters",
        "mật khẩu ngắn hơn {min} ký tự",
    ),
    "user.password_prompt": ("Password", "Mật khẩu"),
    "user.none": ("no users yet", "chưa có người dùng"),
    "user.col.name": ("User", "Người dùng"),
    "user.col.role": ("Role", "Vai trò"),
    "user.col.unit": ("Unit", "Đơn vị"),
    "user.col.active": ("Active", "Hoạt động"),
    "user.yes": ("yes", "có"),
    "user.no": ("no", "không"),
    # units, frameworks, rounds
    "registry.unknown_unit": (
        "no unit '{id}' in the registry",
        "không có đơn vị '{id}' trong danh mục",
    ),
    "framework.unknown": (
        "no stored framework '{digest}'",
        "không có khung đánh giá '{digest}' đã lưu",
    ),
    "framework.no_units": (
        "the framework {framework} names no unit registry (units:)",
        "khung {framework} không khai báo danh mục đơn vị (units:)",
    ),
    "framework.registry": (
        "the framework {framework} uses another unit registry than the platform's ({registry})",
        "khung {framework} dùng danh mục đơn vị khác với danh mục của hệ thống ({registry})",
    ),
    "framework.changed": (
        "the stored files of framework {digest} no longer give that digest",
        "các tệp đã lưu của khung {digest} không còn cho đúng mã băm đó",
    ),
    "round.exists": ("the round '{round}' already exists", "kỳ đánh giá '{round}' đã tồn tại"),
    "round.dates": (
        "the deadline must be after the opening",
        "hạn nộp phải sau thời điểm mở kỳ đánh giá",
    ),
    "round.period": (
        "the period must be 1 to 32 letters, digits, '-', '/' or spaces",
        "kỳ phải có 1 đến 32 ký tự gồm chữ, số, '-', '/' hoặc khoảng trắng",
    ),
    "round.not_open": (
        "the round {round} is {state}: values can no longer be changed",
        "kỳ đánh giá {round} đang ở trạng thái {state}: không thể thay đổi số liệu nữa",
    ),
    "round.not_started": ("the round {round} opens at {at}", "kỳ đánh giá {round} mở lúc {at}"),
    "round.past_deadline": (
        "the deadline of round {round} ({at}) has passed",
        "đã quá hạn nộp của kỳ đánh giá {round} ({at})",
    ),
    "round.published": (
        "the round {round} is published: it cannot be changed",
        "kỳ đánh giá {round} đã công bố: không thể thay đổi",
    ),
    "round.status_move": (
        "a round cannot go from {current} to {target}",
        "kỳ đánh giá không thể chuyển từ {current} sang {target}",
    ),
    "round.nothing_to_publish": (
        "no submission of round {round} is submitted or verified",
        "kỳ đánh giá {round} chưa có bản khai nào đã nộp hoặc đã thẩm định",
    ),
    "round.not_published": (
        "the round {round} is not published yet",
        "kỳ đánh giá {round} chưa công bố",
    ),
    "round.replay_differs": (
        "re-scoring the stored export does not give the published result",
        "chấm lại tệp xuất đã lưu không cho ra kết quả đã công bố",
    ),
    "status.open": ("open", "đang mở"),
    "status.closed": ("closed", "đã đóng"),
    "status.published": ("published", "đã công bố"),
    "status.draft": ("draft", "bản nháp"),
    "status.submitted": ("submitted", "đã nộp"),
    "status.returned": ("returned", "bị trả lại"),
    "status.verified": ("verified", "đã thẩm định"),
    "status.not_started": ("not started", "chưa bắt đầu"),
    # submissions
    "submission.conflict": (
        "the submission was changed meanwhile (now version {current}, you sent {sent}): reload it and apply your change again",
        "bản khai đã được thay đổi trong lúc đó (nay là phiên bản {current}, bạn gửi {sent}): hãy tải lại và thực hiện lại thay đổi",
    ),
    "submission.status": (
        "the submission is {state}; this needs it {allowed}",
        "bản khai đang ở trạng thái {state}; việc này cần trạng thái {allowed}",
    ),
    "submission.errors": (
        "the submission has {count} value(s) to fix before it can be submitted",
        "bản khai còn {count} giá trị cần sửa trước khi nộp",
    ),
    "submission.automatic": (
        "'{input}' comes from an automatic source ({source}); it is filled by the platform, not typed",
        "'{input}' lấy từ nguồn tự động ({source}); hệ thống tự điền, không nhập tay",
    ),
    "submission.not_automatic": (
        "'{input}' is not an automatic input; this token may only push automatic inputs",
        "'{input}' không phải chỉ tiêu tự động; mã API này chỉ được gửi chỉ tiêu tự động",
    ),
    "submission.unknown_input": (
        "'{input}' is not an input of tier {tier}",
        "'{input}' không phải chỉ tiêu của cấp {tier}",
    ),
    "submission.too_many": (
        "at most {limit} values per request",
        "tối đa {limit} giá trị mỗi yêu cầu",
    ),
    "submission.value_long": (
        "a value may have at most {limit} characters",
        "mỗi giá trị tối đa {limit} ký tự",
    ),
    "submission.comment_required": (
        "a returned submission needs a comment for the unit",
        "trả lại bản khai cần có nhận xét gửi đơn vị",
    ),
    "submission.reason_required": (
        "a verified value needs a reason",
        "giá trị thẩm định cần có lý do",
    ),
    "submission.not_yours": (
        "unit {unit} is outside your scope",
        "đơn vị {unit} nằm ngoài phạm vi của bạn",
    ),
    # evidence
    "evidence.too_big": (
        "the file is {size} bytes, more than the limit of {limit} bytes",
        "tệp có {size} byte, vượt giới hạn {limit} byte",
    ),
    "evidence.empty": ("the file is empty", "tệp rỗng"),
    "evidence.name": (
        "the file name '{name}' is not allowed: give a plain name without folders or control characters",
        "tên tệp '{name}' không hợp lệ: hãy dùng tên đơn giản, không có thư mục hay ký tự điều khiển",
    ),
    "evidence.type": (
        "this kind of file is not accepted as evidence ({kind}); allowed: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), plain text",
        "loại tệp này không được nhận làm minh chứng ({kind}); cho phép: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), văn bản thuần",
    ),
    "evidence.archive": (
        "the document is a damaged or unsafe archive ({why})",
        "tài liệu là tệp nén hỏng hoặc không an toàn ({why})",
    ),
    # tokens
    "token.scope": (
        "a machine token covers one unit and its sub-units, or the whole country",
        "mã API tự động áp dụng cho một đơn vị và các đơn vị trực thuộc, hoặc cả nước",
    ),
    # Django admin and model names
    "model.unit": ("unit", "đơn vị"),
    "model.units": ("units", "đơn vị"),
    "model.framework": ("framework", "khung đánh giá"),
    "model.frameworks": ("frameworks", "khung đánh giá"),
    "model.round": ("evaluation round", "kỳ đánh giá"),
    "model.rounds": ("evaluation rounds", "kỳ đánh giá"),
    "model.submission": ("submission", "bản khai"),
    "model.submissions": ("submissions", "bản khai"),
    "model.verification": ("verification", "thẩm định"),
    "model.verifications": ("verifications", "thẩm định"),
    "model.evidence": ("evidence file", "tệp minh chứng"),
    "model.evidences": ("evidence files", "tệp minh chứng"),
    "model.result": ("unit result", "kết quả đơn vị"),
    "model.publication": ("publication", "bản công bố"),
    "model.record": ("result record", "bản ghi kết quả"),
    "model.records": ("result records", "bản ghi kết quả"),
    "model.publications": ("publications", "bản công bố"),
    "model.results": ("unit results", "kết quả đơn vị"),
    "model.audit": ("audit entry", "bản ghi nhật ký"),
    "model.audits": ("audit log", "nhật ký thao tác"),
    "model.profile": ("role", "vai trò"),
    "model.profiles": ("roles", "vai trò"),
    "model.token": ("API token", "mã API"),
    "model.tokens": ("API tokens", "mã API"),
    "model.attempt": ("sign-in attempt", "lần đăng nhập"),
    "model.attempts": ("sign-in attempts", "lần đăng nhập"),
    "app.evaluation": ("Evaluation", "Đánh giá"),
    "app.accounts": ("Accounts and roles", "Tài khoản và vai trò"),
    "app.audit": ("Audit", "Nhật ký"),
    "audit.append_only": (
        "the audit log is append-only: entries cannot be changed or deleted",
        "nhật ký thao tác chỉ được ghi thêm: không thể sửa hay xoá bản ghi",
    ),
    "api.title": (
        "maturity evaluation platform",
        "nền tảng đánh giá mức độ trưởng thành chuyển đổi số",
    ),
    # the server
    "serve.database": (
        "MATURITY_DATABASE_URL / --database must start with postgresql:// or sqlite:///, got '{url}'",
        "MATURITY_DATABASE_URL / --database phải bắt đầu bằng postgresql:// hoặc sqlite:///, nhận được '{url}'",
    ),
    "serve.no_django": (
        "the platform needs the web extra: pip install 'maturity[web]'",
        "nền tảng cần gói bổ sung web: pip install 'maturity[web]'",
    ),
    "serve.database_down": (
        "cannot reach the database: {why}",
        "không kết nối được cơ sở dữ liệu: {why}",
    ),
    "serve.ready": (
        "maturity platform on http://{host}:{port}/ (data: {data}; database: {database}; {workers} workers)",
        "nền tảng maturity tại http://{host}:{port}/ (dữ liệu: {data}; cơ sở dữ liệu: {database}; {workers} tiến trình)",
    ),
}

PLATFORM_MESSAGES.update(PAGE_MESSAGES)  # the pages' texts (maturity/web/pages/texts.py)
LIBRARY_CODES = frozenset(MESSAGES)  # the platform's codes never reuse one of these
MESSAGES.update(PLATFORM_MESSAGES)


def request_language() -> str:
    """The language of the current request (Django's active language), Vietnamese first."""
    lang = (get_language() or "vi")[:2]
    return lang if lang in LANGUAGES else "vi"


def msg(code: str, lang: str | None = None, **kw: Any) -> str:
    """Render ``code`` in ``lang`` (default: the request's language)."""
    return t(code, lang=lang or request_language(), **kw)


def _lazy_text(code: str) -> str:
    return msg(code)


lazy_msg = lazy(_lazy_text, str)
"""A message rendered when shown (model and admin names, in the language of the page)."""

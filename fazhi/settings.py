"""Django settings for fazhi, read from the environment.

DATABASE_URL selects the database (``sqlite:///PATH`` or ``postgres://…``); without it an
SQLite file under ``var/`` is used in WAL mode, which is what a single district needs.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from fazhi.localenv import SECRET_ENV_NAME, local_env_read

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", BASE_DIR / "var"))
# var/secret.env, written by `make run` (`fazhi secretkey`) the first time; the real environment wins.
LOCAL_ENV_FILE = VAR_DIR / SECRET_ENV_NAME
_LOCAL_ENV = local_env_read(LOCAL_ENV_FILE)

DEBUG = os.environ.get("FAZHI_DEBUG", "0") == "1"
# Outside debug there is no built-in key: without FAZHI_SECRET_KEY (environment or var/secret.env) the
# key is empty, Django refuses to sign a session or a CSRF token, and `fazhi serve` refuses to start.
SECRET_KEY = (os.environ.get("FAZHI_SECRET_KEY") or _LOCAL_ENV.get("FAZHI_SECRET_KEY")
              or ("fazhi-insecure-development-key-change-me" if DEBUG else ""))
ALLOWED_HOSTS = os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "fazhi.core.thirdparty_apps.AxesConfig",  # the packages' own configs, under Chinese names
    "rest_framework",
    "fazhi.core.thirdparty_apps.KnoxConfig",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by fazhi (/api/docs/): nothing from a CDN
    "django_otp",
    "fazhi.core.thirdparty_apps.TotpConfig",
    "django_tasks",
    "fazhi.core.thirdparty_apps.TasksDbConfig",
    "fazhi.accounts",
    "fazhi.core",
    "fazhi.registers",
    "fazhi.datasets",
    "fazhi.indicators",
    "fazhi.reports",
    "fazhi.checker",
    "fazhi.imports",
    "fazhi.web",
    "fazhi.api",
]

MIDDLEWARE = [
    # First: a request larger than the cap is refused before anything reads its body.
    "fazhi.web.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "fazhi.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fazhi.accounts.middleware.SessionLifetimeMiddleware",
    "fazhi.accounts.otp.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi.web.middleware.ParamErrorMiddleware",
    # A 身份证号 in a query string is refused before any view sees it (the 400 page names the parameter only).
    "fazhi.web.middleware.PersonalDataInUrlMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised by its backend into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.web.navigation.navigation",
                "fazhi.web.page_cache.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "fazhi.wsgi.application"


def _database_config() -> dj_database_url.DBConfig:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while a batch job writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["TEST"] = {"NAME": os.environ.get("FAZHI_SQLITE_TEST_NAME") or None}
    return config


DATABASES = {"default": _database_config()}
# Each worker process's own memory: the cached figures, menus and to-do counts of core/dataversion.py, keyed
# by the data version the database keeps (so never stale, whatever the number of processes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi",
                      "OPTIONS": {"MAX_ENTRIES": 2000}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses to check a password while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# ASVS 2.1.1/2.1.7: at least 12 characters, not a common password, not like the user's name, not only digits.
# They apply wherever a password is chosen (the change page, createsuperuser, user_create).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out (ASVS 2.2.1), by django-axes: 5 wrong passwords for one account, or from one address, lock
# that account / address for 15 minutes; a right password resets the count. Failures and sign-ins are
# in axes' tables; each lock-out is also an audit row (fazhi.accounts.signals).
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("FAZHI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "fazhi.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "fazhi.accounts.security.client_ip"
AXES_VERBOSE = False

# Sessions (ASVS 3.3): signed out after 30 minutes without a request and 12 hours after signing in
# (fazhi.accounts.middleware.SessionLifetimeMiddleware); the cookie dies with the browser.
FAZHI_SESSION_IDLE_SECONDS = int(os.environ.get("FAZHI_SESSION_IDLE_MINUTES", "30")) * 60
FAZHI_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("FAZHI_SESSION_ABSOLUTE_HOURS", "12")) * 3600
SESSION_COOKIE_AGE = FAZHI_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Second factor (django-otp, TOTP): anyone may enrol an authenticator on 我的账户; once enrolled the code
# is asked at every sign-in. FAZHI_OTP_REQUIRED=1 makes it compulsory for roles that may see personal data.
FAZHI_OTP_REQUIRED = os.environ.get("FAZHI_OTP_REQUIRED", "0") == "1"
OTP_TOTP_ISSUER = "fazhi 法治政府建设管理平台"

# Always Chinese, whatever the browser asks for: there is no LocaleMiddleware on purpose.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "fazhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise serves the collected files (`fazhi serve` runs collectstatic) from gunicorn itself, with
# gzip/brotli copies; names are not hashed so a page rendered before collectstatic never fails.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# ------------------------------------------------------------------ production settings (issue 12, item 8)
# FAZHI_TLS=1 when fazhi is reached over HTTPS (a TLS proxy in front of gunicorn sets X-Forwarded-Proto):
# then cookies are Secure, plain HTTP is redirected and browsers are told to insist on HTTPS (HSTS).
TLS = os.environ.get("FAZHI_TLS", "0") == "1"
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("FAZHI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("FAZHI_HSTS_PRELOAD", "1") == "1"  # only the directive; nothing is submitted
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no page script reads the token: forms carry it in a hidden field
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Bounded requests (issue 12, item 7): RequestSizeLimitMiddleware answers 413 above the cap from the
# Content-Length alone; Django's own limits bound what a form body may hold in memory.
# Background jobs (large exports): queued in the database, run by `fazhi serve`'s worker (`db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A filtered list longer than this is exported by a background job with its progress on the exports page.
FAZHI_EXPORT_BACKGROUND_ROWS = int(os.environ.get("FAZHI_EXPORT_BACKGROUND_ROWS", "5000"))
# An uploaded import file larger than this (bytes) is checked and committed by a background job, with its
# progress on the batch page; a smaller one is run while the page waits.
FAZHI_IMPORT_BACKGROUND_BYTES = int(os.environ.get("FAZHI_IMPORT_BACKGROUND_BYTES", str(512 * 1024)))

# List exports (issue 13/14): kept this many days for downloading again, then `fazhi exports purge` removes
# them; a list longer than the cap is refused with `export_too_large` (narrow the filters).
FAZHI_EXPORT_RETENTION_DAYS = int(os.environ.get("FAZHI_EXPORT_RETENTION_DAYS", "7"))
FAZHI_EXPORT_MAX_ROWS = int(os.environ.get("FAZHI_EXPORT_MAX_ROWS", "200000"))
FAZHI_MAX_REQUEST_BYTES = int(os.environ.get("FAZHI_MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a form or JSON body without its files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploaded files are spooled to a temporary file

# No inline script or style anywhere (templates link static files only); nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no fazhi page uses are switched off (fazhi.web.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:workbench"  # the 待办 workbench: what the user must do now
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A session (the browser) or a token from 我的令牌 (/account/tokens/). HTTP basic sends the password
    # with every request: off unless FAZHI_API_BASIC_AUTH=1.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
        *(["rest_framework.authentication.BasicAuthentication"]
          if os.environ.get("FAZHI_API_BASIC_AUTH", "0") == "1" else []),
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "fazhi.api.pagination.BoundedLimitOffsetPagination",  # limit ≤ 500
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "fazhi.api.errors.api_exception_handler",
    # JSON only: DRF's browsable API is English and renders forms; /api/docs/ is the page for people.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# API tokens (django-rest-knox): stored as SHA-512 digests, valid 90 days, at most 10 per user.
REST_KNOX: dict[str, Any] = {"TOKEN_TTL": dt.timedelta(days=int(os.environ.get("FAZHI_API_TOKEN_DAYS", "90"))),
             "AUTO_REFRESH": False}
FAZHI_API_TOKENS_PER_USER = 10
SPECTACULAR_SETTINGS = {
    "TITLE": "fazhi 法治政府建设平台 API",
    "DESCRIPTION": "登录后使用（浏览器会话，或“我的令牌”中的令牌：`Authorization: Token …`）。"
                   "错误一律为 JSON {code, message, field}；修改记录须带读取时的 version，期间别人改过则 409。",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular's own enum hook, then the links between operations (ids and versions to follow).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "fazhi.api.schema_links.schema_links_add",
                             "fazhi.api.schema_tags.schema_tags_chinese"],
    # The models' section of Swagger UI lists serializer class names (English identifiers): left out; each
    # operation still shows its request and response shapes.
    "SWAGGER_UI_SETTINGS": {"defaultModelsExpandDepth": -1},
}

# Days before a statutory deadline when a clock turns "due soon" unless its definition says otherwise.
FAZHI_DUE_SOON_DAYS = 3
# The workbench lists running clocks due within this many working days (and every overdue one); ?days= overrides.
FAZHI_WORKBENCH_DUE_WORKING_DAYS = 5
# The public statistics show a count of 1 … N−1 as "<N" and withhold rates over such counts (small-cell suppression).
FAZHI_PUBLIC_MIN_COUNT = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal number (身份证号, phone, bank card) in any log line, from whichever logger (DESIGN §9).
    "filters": {"personal_data": {"()": "fazhi.core.logfilter.PersonalDataLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAZHI_LOG_LEVEL", "WARNING"),
             "filters": ["personal_data"]},
    "loggers": {
        name: {"filters": ["personal_data"]}
        for name in ("django", "django.request", "django.server", "gunicorn", "gunicorn.access", "gunicorn.error")
    },
}


# E-mail (the daily deadline digest, `fazhi digest send`): written as files under var/mail unless an SMTP
# server is named (FAZHI_SMTP_HOST …); nothing is sent anywhere by default.
DEFAULT_FROM_EMAIL = os.environ.get("FAZHI_MAIL_FROM", "fazhi@localhost")
if os.environ.get("FAZHI_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["FAZHI_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("FAZHI_SMTP_PORT", "465"))
    EMAIL_HOST_USER = os.environ.get("FAZHI_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("FAZHI_SMTP_PASSWORD", "")
    EMAIL_USE_SSL = EMAIL_PORT == 465
    EMAIL_USE_TLS = not EMAIL_USE_SSL
else:
    EMAIL_BACKEND = os.environ.get("FAZHI_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = VAR_DIR / "mail"

"""A logging filter that masks personal numbers (身份证号, phones, bank cards) in every log record.

Installed on the handlers and the root, django and gunicorn loggers (settings.LOGGING), so that a number
typed into a URL (a search box, a query parameter quoted in a request line) or quoted in an exception
message never reaches the server log in clear (DESIGN §9)."""

from __future__ import annotations

import logging

from .personaldata import personal_data_mask, personal_data_mask_value


class PersonalDataLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Format first, then mask: a number may be split between the message and its arguments.
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg = personal_data_mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = personal_data_mask(record.exc_text)
        if record.stack_info:
            record.stack_info = personal_data_mask(record.stack_info)
        for attr in ("request_line",):  # extra fields some handlers carry
            if isinstance(getattr(record, attr, None), str):
                setattr(record, attr, personal_data_mask_value(getattr(record, attr)))
        return True

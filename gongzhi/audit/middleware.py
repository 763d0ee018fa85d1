import uuid

from gongzhi.audit.services import reset_correlation, set_correlation


class CorrelationMiddleware:
    """Gives every request one correlation id, shared by all audit events it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.correlation_id = uuid.uuid4()
        token = set_correlation(request.correlation_id)
        try:
            return self.get_response(request)
        finally:
            reset_correlation(token)

"""Domain errors; each carries the contract's `extensions.code`."""

# What a client hears when the ORM refuses a value for its column (a code longer than any code)
# before the database sees it; GraphQL and Open311 both say this.
VALUE_REFUSED = "A value is longer than allowed or not in the expected form."


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, object] = {}


class BadInput(DomainError):
    code = "BAD_USER_INPUT"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in first.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You may not do that.") -> None:
        super().__init__(message)


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after + 0.5))
        super().__init__(f"Too many requests; try again in {seconds} seconds.")
        self.extensions = {"retryAfter": seconds}

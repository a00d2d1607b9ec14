"""Domain errors; each carries the contract's `extensions.code`."""


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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

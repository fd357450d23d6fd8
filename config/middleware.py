from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

logger = logging.getLogger(__name__)


class DropNullCharactersMiddleware:
    """A query parameter holding a NUL character can name nothing that
    exists, and PostgreSQL refuses NUL in text (a DataError: a 500 at every
    filter that passes it on). Such parameters are dropped before any view
    sees them, so a search or a filter with one answers as without it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                if "\x00" not in key:
                    cleaned.setlist(key, [value for value in values if "\x00" not in value])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]  # read-only like Django's own
        return self.get_response(request)


class FriendlyNotFoundMiddleware:
    """In DEBUG (the laptop demo) Django answers an unknown URL with its
    technical page listing every route. Newcomers trying the demo should see
    the same friendly page as production; set PLENARY_DEBUG_404=1 to get
    Django's page back while developing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.PLENARY_DEBUG_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "plenary_friendly", False)
            and not request.path.startswith(("/api/", "/static/"))
        ):
            response = render(request, "404.html", status=404)
        return response


class JSONErrorsForAPIMiddleware:
    """Under /api/ every error is JSON. DRF answers its own errors in JSON, but
    an unknown URL (Django's 404) or an unexpected exception (Django's 500,
    already logged by the time it gets here) would be the HTML error page;
    this swaps such a page for ``{"detail": ...}`` with the same status."""

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(self.prefix)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/")
            # The browsable API renders DRF's own errors as HTML on purpose.
            and getattr(response, "accepted_media_type", None) is None
        ):
            from .api_conventions import error_body

            json_response = JsonResponse(error_body(response.status_code), status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response


class PublicPageCacheMiddleware:
    """Serves anonymous visitors a stored copy of a public page (home, an
    assembly's page, programme, evidence library, recommendations, "how the
    members were chosen", reports), before the sessions, CSRF, locale and
    messages middleware run. Keys and invalidation: ``config.public_cache``.

    Only GET and HEAD of the page's own address (no query string: a search or
    a made-up parameter is rendered, so nobody can fill the cache with
    variants); never for a request that carries a session, messages or any
    other cookie than the CSRF and language ones, nor an Authorization header
    (it is neither served a copy nor stored); the key holds the language
    LocaleMiddleware would choose (the language cookie, then Accept-Language).
    Only a 200 is stored, and never one that sets a cookie, holds a CSRF token
    or says it is private or not to be cached. When the cache fails (Redis
    down), the page is rendered as if there were none."""

    #: Cookies an anonymous visitor may carry and still get the shared copy.
    ALLOWED_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PLENARY_PUBLIC_CACHE:
            return self.get_response(request)
        from . import public_cache

        try:
            key = self._key(request)
            stored = public_cache.cache().get(key) if key is not None else None
        except DisallowedHost:
            raise
        except Exception:  # the cache is down: render, as without one
            logger.warning("Public page cache unavailable", exc_info=True)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        if stored is not None:
            return self._from_store(request, stored)
        response = self.get_response(request)
        if self._storable(response):
            headers = [
                (k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "x-public-cache")
            ]
            try:
                public_cache.cache().set(
                    key,
                    (response.status_code, headers, response.content),
                    settings.PLENARY_PUBLIC_CACHE_SECONDS,
                )
            except Exception:
                logger.warning("Public page cache unavailable", exc_info=True)
            response["X-Public-Cache"] = "miss"
        return response

    def _key(self, request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
            return None
        if "HTTP_HX_REQUEST" in request.META:  # htmx may get a fragment, never the page's copy
            return None
        if "HTTP_AUTHORIZATION" in request.META or not self.ALLOWED_COOKIES.issuperset(request.COOKIES):
            return None
        from django.urls import Resolver404, resolve
        from django.utils.translation import get_language_from_request

        from . import public_cache

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name not in public_cache.CACHED_PAGES:
            return None
        scope = public_cache.CACHED_PAGES[match.view_name]
        version_keys = [public_cache.SITE_VERSION]
        if scope is not None:
            assembly_id = self._assembly_id(str(match.kwargs.get(scope, "")))
            if assembly_id is None:
                return None
            version_keys = [public_cache.assembly_version_key(assembly_id)]
        return public_cache.page_key(
            versions=public_cache.versions(version_keys),
            language=get_language_from_request(request),
            url=f"{request.scheme}://{request.get_host()}{request.path}",
        )

    @staticmethod
    def _assembly_id(slug: str) -> int | None:
        """The id of the assembly with this slug, from the cache (the slug's
        entry is dropped whenever an assembly is saved or deleted)."""
        from assemblies.models import Assembly

        from . import public_cache

        store = public_cache.cache()
        key = public_cache.slug_key(slug)
        assembly_id = store.get(key)
        if assembly_id is None:
            assembly_id = Assembly.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if assembly_id is None:
                return None  # a 404: not cached, and no entry for made-up slugs
            store.set(key, assembly_id, timeout=None)
        return int(assembly_id)

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        return b"csrfmiddlewaretoken" not in response.content

    @staticmethod
    def _from_store(request: HttpRequest, stored: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
        status, headers, content = stored
        # A HEAD gets the body too, like an uncached one: the server drops it.
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Public-Cache"] = "hit"
        return response

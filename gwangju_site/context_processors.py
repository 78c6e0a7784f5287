from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Gwangju Metropolitan City",
        "SITE_URL": settings.SITE_URL,
        "KOREAN_SITE_URL": settings.KOREAN_SITE_URL,
    }

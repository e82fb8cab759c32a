"""The notices pages: the list (the bell's target), opening one, and the e-mail setting.

A user reads only its own notices about cases it still sees (`access.notices_for`); another
user's notice answers 404, as one that does not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keiei_web import access, clock
from keiei_web.notices.models import NoticePreference

PER_PAGE = 30


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = access.notices_for(request.user).select_related("case", "case__company")
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/list.html",
        {"page": page, "unread": notices.filter(read_at__isnull=True).count()},
    )


@login_required
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Mark the notice read and go to its page (a path of this site only)."""
    notice = access.notices_for(request.user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404(_("通知が見つかりません。"))
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at"])
    if not url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None) or not notice.url.startswith("/"):
        return redirect("notices:list")
    return redirect(notice.url)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    access.notices_for(request.user).filter(read_at__isnull=True).update(read_at=clock.now())
    messages.success(request, _("すべての通知を既読にしました。"))
    return redirect("notices:list")


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("メールでも通知を受け取る"), required=False)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Each user turns the e-mail of its notices on or off (the notices in the app stay)."""
    user_pk = int(request.user.pk or 0)
    pref = NoticePreference.objects.filter(user_id=user_pk).first()
    current = pref.email if pref is not None else True
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial={"email": current})
    if request.method == "POST" and form.is_valid():
        NoticePreference.objects.update_or_create(user_id=user_pk, defaults={"email": form.cleaned_data["email"]})
        messages.success(
            request,
            _("メールでの通知を受け取ります。") if form.cleaned_data["email"] else _("メールでの通知を止めました。"),
        )
        return redirect("notices:settings")
    return render(request, "notices/settings.html", {"form": form, "email_address": getattr(request.user, "email", "")})

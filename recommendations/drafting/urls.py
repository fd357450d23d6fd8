"""Drafting's portal pages (included by recommendations.portal_urls, namespace "portal")."""

from django.urls import path

from . import views

_draft = "<slug:slug>/recommendations/<int:number>/"
_amendment = _draft + "amendments/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/recommendations/", views.draft_list, name="recommendations_drafts"),
    path(_draft, views.draft_detail, name="recommendations_draft"),
    path(_draft + "edit/", views.draft_edit, name="recommendations_edit"),
    path(_draft + "history/", views.draft_history, name="recommendations_history"),
    path(_draft + "comment/", views.comment_create, name="recommendations_comment"),
    path(_draft + "comments/<int:pk>/hide/", views.comment_hide, name="recommendations_comment_hide"),
    path(_draft + "amend/", views.amendment_create, name="recommendations_amend"),
    path(_amendment, views.amendment_detail, name="recommendations_amendment"),
    path(_amendment + "support/", views.amendment_support, name="recommendations_amendment_support"),
    path(_amendment + "withdraw/", views.amendment_withdraw, name="recommendations_amendment_withdraw"),
    path(_amendment + "accept/", views.amendment_accept, name="recommendations_amendment_accept"),
    path(_amendment + "reject/", views.amendment_reject, name="recommendations_amendment_reject"),
    path(_amendment + "to-vote/", views.amendment_to_vote, name="recommendations_amendment_to_vote"),
    path(
        _amendment + "own-recommendation/",
        views.amendment_to_recommendation,
        name="recommendations_amendment_to_recommendation",
    ),
]

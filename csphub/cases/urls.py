from django.urls import path

from csphub.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("export.csv", views.CaseExportView.as_view(), name="export"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("actions/", views.ActionsView.as_view(), name="actions"),
    path("<str:reference>/", views.CaseDetailView.as_view(), name="case"),
    path("<str:reference>/edit/", views.CaseEditView.as_view(), name="edit"),
    path("<str:reference>/status/", views.CaseStatusView.as_view(), name="status"),
    path("<str:reference>/transfer/", views.CaseTransferView.as_view(), name="transfer"),
    path("<str:reference>/people/new/", views.CasePersonAddView.as_view(), name="add-person"),
    path("<str:reference>/places/new/", views.CasePlaceAddView.as_view(), name="add-place"),
    path("<str:reference>/timeline/new/", views.EntryCreateView.as_view(), name="add-entry"),
    path("<str:reference>/timeline/<uuid:uuid>/document/", views.EntryDocumentView.as_view(), name="document"),
    path("<str:reference>/actions/new/", views.ActionCreateView.as_view(), name="add-action"),
    path("<str:reference>/actions/<uuid:uuid>/", views.ActionUpdateView.as_view(), name="update-action"),
]
urlpatterns += [
    path("case-reviews/figures/", views.CaseReviewFiguresView.as_view(), name="case-review-figures"),
    path("powers/deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path("<str:reference>/assessments/<slug:key>/", views.AssessmentView.as_view(), name="assessment"),
    path("<str:reference>/case-review/apply/", views.CaseReviewApplyView.as_view(), name="case-review-apply"),
    path("<str:reference>/case-review/<uuid:uuid>/", views.CaseReviewDecideView.as_view(), name="case-review-decide"),
    path("<str:reference>/marac/refer/", views.MaracReferView.as_view(), name="marac-refer"),
    path("<str:reference>/marac/<uuid:uuid>/meeting/", views.MaracMeetingView.as_view(), name="marac-meeting"),
    path("<str:reference>/marac/<uuid:uuid>/actions/new/", views.MaracActionView.as_view(), name="marac-action"),
    path("<str:reference>/powers/new/", views.PowerAddView.as_view(), name="power-add"),
]

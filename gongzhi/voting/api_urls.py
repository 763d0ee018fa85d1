from django.urls import path

from gongzhi.voting import api

urlpatterns = [
    path("assemblies/", api.AssemblyList.as_view(), name="voting-assemblies"),
    path(
        "compounds/<int:pk>/assemblies/",
        api.AssemblyList.as_view(),
        name="voting-compound-assemblies",
    ),
    path("assemblies/<int:pk>/", api.AssemblyDetail.as_view(), name="voting-assembly"),
    path("assemblies/<int:pk>/roll/me", api.MyRollEntry.as_view(), name="voting-my-entry"),
    path(
        "assemblies/<int:pk>/participation",
        api.Participation.as_view(),
        name="voting-participation",
    ),
    path("assemblies/<int:pk>/ballots/", api.Ballots.as_view(), name="voting-ballots"),
    path("assemblies/<int:pk>/transitions", api.Transition.as_view(), name="voting-transition"),
    path("assemblies/<int:pk>/result", api.Result.as_view(), name="voting-result"),
    path("verify/<str:code>/", api.Verify.as_view(), name="voting-verify"),
]

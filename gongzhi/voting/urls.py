from django.urls import path

from gongzhi.voting.views import assemblies, ballots, elections, results

app_name = "voting"
urlpatterns = [
    # Assemblies of a compound, and its voting policy.
    path("compounds/<int:pk>/assemblies/", assemblies.assembly_list, name="assemblies"),
    path("compounds/<int:pk>/voting-policy", assemblies.policy, name="policy"),
    # One assembly.
    path("assemblies/<int:pk>/", assemblies.assembly_detail, name="assembly"),
    path("assemblies/<int:pk>/edit", assemblies.assembly_edit, name="assembly_edit"),
    path("assemblies/<int:pk>/questions/add", assemblies.question_add, name="question_add"),
    path("questions/<int:pk>/remove", assemblies.question_remove, name="question_remove"),
    path("assemblies/<int:pk>/move", assemblies.assembly_move, name="assembly_move"),
    path("assemblies/<int:pk>/roll", assemblies.roll, name="roll"),
    path("roll-entries/<int:pk>/correct", assemblies.roll_correct, name="roll_correct"),
    path("assemblies/<int:pk>/meter", assemblies.meter, name="meter"),
    # Ballots.
    path("assemblies/<int:pk>/vote", ballots.vote, name="vote"),
    path("assemblies/<int:pk>/proxies", ballots.proxies, name="proxies"),
    path("proxies/<int:pk>/authorisation", ballots.proxy_file, name="proxy_file"),
    path("proxies/<int:pk>/review", ballots.proxy_review, name="proxy_review"),
    path("assemblies/<int:pk>/paper", ballots.paper, name="paper"),
    path("paper-sheets/<int:pk>/confirm", ballots.sheet_confirm, name="sheet_confirm"),
    path("paper-sheets/<int:pk>/reject", ballots.sheet_reject, name="sheet_reject"),
    path("paper-sheets/<int:pk>/scan", ballots.sheet_scan, name="sheet_scan"),
    # Results and the public receipt check.
    path("assemblies/<int:pk>/result", results.result, name="result"),
    path("assemblies/<int:pk>/result.pdf", results.result_pdf, name="result_pdf"),
    path("verify/<str:code>/", results.verify, name="verify"),
    path("verify/<str:code>/ballots.txt", results.ledger_text, name="ledger"),
    # Elections.
    path("compounds/<int:pk>/elections/", elections.election_list, name="elections"),
    path("elections/<int:pk>/", elections.election_detail, name="election"),
    path("elections/<int:pk>/nominate", elections.nominate, name="nominate"),
    path("candidates/<int:pk>/check", elections.candidate_check, name="candidate_check"),
    path("elections/<int:pk>/publish-slate", elections.publish_slate, name="publish_slate"),
    path("elections/<int:pk>/start-ballot", elections.start_ballot, name="start_ballot"),
    path("elections/<int:pk>/file", elections.file, name="file"),
]

from django.urls import path

from companies import views

urlpatterns = [
    path("register/", views.registration_create, name="registration-create"),
    path("register/thanks/", views.registration_thanks, name="registration-thanks"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("company/members/", views.member_list, name="member-list"),
    path("company/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]

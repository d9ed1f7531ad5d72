from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-your-inbox/", views.signup_sent, name="signup_sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

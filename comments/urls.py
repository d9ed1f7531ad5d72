from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("<int:story_pk>/", views.post_comment, name="post"),
    path("<int:story_pk>/reply/<int:comment_pk>/", views.reply, name="reply"),
]

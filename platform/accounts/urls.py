from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_password, name="login"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("sms/<str:purpose>/", views.send_code, name="send-code"),
    path("forgot/", views.forgot_password, name="forgot-password"),
    path("forgot/code/", views.forgot_send_code, name="forgot-send-code"),
    path("mobile/", views.change_mobile, name="change-mobile"),
    path("profile/", views.profile, name="profile"),
]

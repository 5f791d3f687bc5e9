from django.contrib.auth import views as auth_views
from django.urls import path

from tinhgon.accounts import user_views, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", views.login_code, name="login-code"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # /tai-khoan/: the signed-in user's own account
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/doi-vai-tro/", views.switch_membership, name="switch"),
    path("tai-khoan/khoa-api/tao/", views.token_create, name="token-create"),
    path("tai-khoan/khoa-api/thu-hoi/", views.token_revoke, name="token-revoke"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password-change"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.two_factor, name="two-factor"),
    path("tai-khoan/xac-thuc-hai-buoc/go-bo/", views.two_factor_remove, name="two-factor-remove"),
    # /tai-khoan/quen-mat-khau/: a reset link by e-mail, for someone not signed in
    path("tai-khoan/quen-mat-khau/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "tai-khoan/quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "tai-khoan/quen-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "tai-khoan/quen-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    # /nguoi-dung/: user accounts and roles, for the administrators of a subtree
    path("nguoi-dung/", user_views.user_list, name="users"),
    path("nguoi-dung/them/", user_views.user_create, name="user-create"),
    path("nguoi-dung/vai-tro/<int:pk>/thu-hoi/", user_views.membership_revoke, name="membership-revoke"),
    path("nguoi-dung/<str:username>/", user_views.user_detail, name="user-detail"),
]

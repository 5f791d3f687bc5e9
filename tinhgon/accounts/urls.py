from django.contrib.auth import views as auth_views
from django.urls import path

from tinhgon.accounts import user_views, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # /tai-khoan/: the signed-in user's own account
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/doi-vai-tro/", views.switch_membership, name="switch"),
    path("tai-khoan/khoa-api/tao/", views.token_create, name="token-create"),
    path("tai-khoan/khoa-api/thu-hoi/", views.token_revoke, name="token-revoke"),
    # /nguoi-dung/: user accounts and roles, for the administrators of a subtree
    path("nguoi-dung/", user_views.user_list, name="users"),
    path("nguoi-dung/them/", user_views.user_create, name="user-create"),
    path("nguoi-dung/vai-tro/<int:pk>/thu-hoi/", user_views.membership_revoke, name="membership-revoke"),
    path("nguoi-dung/<str:username>/", user_views.user_detail, name="user-detail"),
]

# Aliases and names, not keys: scikit-learn classes imported under sk_ names, CamelCase placeholders in docs,
# dated file names.
from sklearn.ensemble import RandomForestClassifier as sk_RandomForestClassifier
from sklearn.linear_model import LogisticRegression as sk_LogisticRegressionModel


def sk_cross_validation_score_summary(model, X, y):
    return sk_RandomForestClassifier().fit(X, y)


class sk_GradientBoostingRegressorWrapper:
    pass


DOC = """
Set SIGNUS_API_KEY to your secret key, for example sk_YourSecretKeyGoesHere or sk_PasteYourApiKeyHere.
"""
BACKUPS = ["sk_2024_11_27_nightly_backup.sql", "sk_20241127_weekly_export.csv", "sk_Q3_2025_ReportFinal.xlsx"]

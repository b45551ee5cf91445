using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace BotFleet.JobServer.Tests.OperatorConsole;

/// <summary>
/// Debian's chromium, headless, through its chromedriver (packages chromium and chromium-driver; .ci/run installs
/// them). Missing binaries fail the test rather than skip it.
/// </summary>
internal sealed class HeadlessChrome : IDisposable
{
    private const string DriverFolder = "/usr/bin";
    private const string Browser = "/usr/bin/chromium";

    public HeadlessChrome()
    {
        if (!File.Exists(Path.Combine(DriverFolder, "chromedriver")) || !File.Exists(Browser))
        {
            throw new InvalidOperationException($"The console tests need {Browser} and {DriverFolder}/chromedriver: apt-get install chromium chromium-driver (.ci/run does).");
        }

        var service = ChromeDriverService.CreateDefaultService(DriverFolder);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        // Sessions run as root here, where chromium refuses its sandbox.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Waits (up to 15 s, polling the page) for <paramref name="condition"/> to hold, and returns what it found.</summary>
    public T WaitFor<T>(Func<IWebDriver, T?> condition, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(15)) { Message = $"the console did not show {what}" };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition)!;
    }

    /// <summary>The text of the element <paramref name="css"/> finds once it is <paramref name="expected"/> (the page re-renders its tables every 2 s).</summary>
    public void WaitForText(string css, string expected) =>
        WaitFor(d => d.FindElement(By.CssSelector(css)).Text == expected, $"'{expected}' in {css}");

    /// <summary>Clicks the element <paramref name="css"/> finds, again if a re-render replaced it meanwhile.</summary>
    public void Click(string css) =>
        WaitFor(d =>
        {
            d.FindElement(By.CssSelector(css)).Click();
            return true;
        }, $"{css} to click");

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
